using System.Numerics;
using Loops.Contracts.V1;
using Loops.Feedback;

namespace Loops.Service.Decisions;

/// <summary>
/// The last decisions of this replica, for explanations after their reward window closed and for releases. Bounded:
/// the oldest are forgotten first. Decisions are kept encoded, one after the other in large slabs that are reused in
/// turn as the oldest decisions are forgotten: the garbage collector sees a few hundred slabs, not an array (or a
/// graph of feature and action messages) per decision to copy and promote. They sit in a ring in the order they came,
/// known by the 128-bit hash of their event id (<see cref="EventKey"/>, as pending decisions are), and an
/// open-addressing table of ring positions finds them: one probe of a table of 8-byte slots (2 MB for the default
/// capacity) to add a decision and one to forget the oldest, where a dictionary made every Decide pay an insertion
/// and a removal among entries of 40 bytes, each a likely cache miss.
/// </summary>
internal sealed class RecentDecisions
{
    /// <summary>How many decisions are kept when no capacity is given.</summary>
    public const int DefaultCapacity = 100_000;

    private const int SlabBytes = 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly int _capacity;

    // The ring: the halves of each decision's key and where its bytes are.
    private readonly ulong[] _keyLows;
    private readonly ulong[] _keyHighs;
    private readonly Entry[] _entries;

    // For each kept decision, at or after the slot its key's low bits name (at most half the slots are used): the low
    // 32 bits of its key, so that probes compare keys without reading the ring, over its ring position + 1 (0: empty).
    private readonly ulong[] _index;
    private readonly int _indexMask;
    private readonly Queue<Slab> _slabs = new();
    private readonly Stack<byte[]> _idle = new();
    private readonly Dictionary<string, LatestEventIds> _latestByPolicy = new(StringComparer.Ordinal);
    private Slab? _current;
    private long _added;

    /// <param name="capacity">How many decisions are kept.</param>
    public RecentDecisions(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 28);
        _capacity = capacity;
        _keyLows = new ulong[capacity];
        _keyHighs = new ulong[capacity];
        _entries = new Entry[capacity];
        _index = new ulong[capacity == 0 ? 0 : (int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2)];
        _indexMask = _index.Length - 1;
    }

    /// <summary>Keeps a decision given as its protobuf encoding (copied).</summary>
    public void Add(string eventId, string policy, ReadOnlySpan<byte> encoded)
    {
        if (_capacity == 0)
        {
            return;
        }

        var key = EventKey.Of(eventId).Value;
        var low = (ulong)key;
        var high = (ulong)(key >> 64);
        lock (_gate)
        {
            // A retried Decide keeps the first decision, as its answer does.
            var at = Home(low);
            while (_index[at] != 0)
            {
                if (Matches(_index[at], low, high))
                {
                    return;
                }

                at = (at + 1) & _indexMask;
            }

            var slot = (int)(_added % _capacity);
            if (_added >= _capacity)
            {
                Forget(slot);

                // Forgetting may have moved entries into the free slot found above: look again.
                at = Home(low);
                while (_index[at] != 0)
                {
                    at = (at + 1) & _indexMask;
                }
            }

            var slab = SlabFor(encoded.Length);
            encoded.CopyTo(slab.Bytes.AsSpan(slab.Used));
            _entries[slot] = new Entry(slab, slab.Used, encoded.Length);
            _keyLows[slot] = low;
            _keyHighs[slot] = high;
            _index[at] = ((ulong)(uint)low << 32) | (uint)(slot + 1);
            slab.Used += encoded.Length;
            slab.Live++;
            _added++;
            if (!_latestByPolicy.TryGetValue(policy, out var latest))
            {
                _latestByPolicy[policy] = latest = new LatestEventIds();
            }

            latest.Add(eventId);
        }
    }

    /// <summary>The policy's most recent decisions still kept, newest first; at most <see cref="LatestEventIds.Capacity"/>.</summary>
    public IReadOnlyList<DecisionEvent> Latest(string policy, int limit)
    {
        LatestEventIds? latest;
        lock (_gate)
        {
            _latestByPolicy.TryGetValue(policy, out latest);
        }

        if (latest is null)
        {
            return [];
        }

        var result = new List<DecisionEvent>();
        foreach (var eventId in latest.NewestFirst())
        {
            if (result.Count >= limit)
            {
                break;
            }

            if (Find(eventId) is { } decision)
            {
                result.Add(decision);
            }
        }

        return result;
    }

    /// <summary>The decision with this event id, or null.</summary>
    public DecisionEvent? Find(string eventId)
    {
        var key = EventKey.Of(eventId).Value;
        var low = (ulong)key;
        var high = (ulong)(key >> 64);
        byte[]? copy = null;
        lock (_gate)
        {
            if (FindSlot(low, high) is var slot and >= 0)
            {
                var entry = _entries[slot];
                copy = entry.Slab.Bytes.AsSpan(entry.Offset, entry.Length).ToArray();
            }
        }

        if (copy is null)
        {
            return null;
        }

        // Two ids with the same hash are not expected in the lifetime of the universe; the check costs nothing here.
        var decision = DecisionEvent.Parser.ParseFrom(copy);
        return decision.EventId == eventId ? decision : null;
    }

    private int FindSlot(ulong low, ulong high)
    {
        if (_capacity == 0)
        {
            return -1;
        }

        for (var at = Home(low); _index[at] != 0; at = (at + 1) & _indexMask)
        {
            if (Matches(_index[at], low, high))
            {
                return PositionOf(_index[at]);
            }
        }

        return -1;
    }

    private int Home(ulong keyLow) => (int)keyLow & _indexMask;

    private static int PositionOf(ulong indexed) => (int)(uint)indexed - 1;

    private bool Matches(ulong indexed, ulong low, ulong high) =>
        (uint)(indexed >> 32) == (uint)low && _keyLows[PositionOf(indexed)] == low && _keyHighs[PositionOf(indexed)] == high;

    // Takes the ring position out of the table, moving back the entries after it that would otherwise no longer be
    // reachable from their home slot (deletion in linear probing, without tombstones).
    private void Unindex(int slot)
    {
        var hole = Home(_keyLows[slot]);
        while (PositionOf(_index[hole]) != slot)
        {
            hole = (hole + 1) & _indexMask;
        }

        for (var next = (hole + 1) & _indexMask; _index[next] != 0; next = (next + 1) & _indexMask)
        {
            // The entry stays when its home lies cyclically after the hole, up to where it is.
            var home = Home(_index[next] >> 32);
            var stays = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (!stays)
            {
                _index[hole] = _index[next];
                hole = next;
            }
        }

        _index[hole] = 0;
    }

    private void Forget(int slot)
    {
        Unindex(slot);
        _entries[slot].Slab.Live--;
        _entries[slot] = default;

        // Slabs fill and empty in the same order, so only the oldest can have become empty.
        while (_slabs.TryPeek(out var oldestSlab) && oldestSlab.Live == 0 && oldestSlab != _current)
        {
            _slabs.Dequeue();
            if (oldestSlab.Bytes.Length == SlabBytes)
            {
                _idle.Push(oldestSlab.Bytes);
            }
        }
    }

    private Slab SlabFor(int length)
    {
        if (_current is { } current && current.Used + length <= current.Bytes.Length)
        {
            return current;
        }

        var bytes = length > SlabBytes ? new byte[length] : _idle.TryPop(out var reused) ? reused : GC.AllocateUninitializedArray<byte>(SlabBytes);
        var slab = new Slab(bytes);
        _slabs.Enqueue(slab);
        _current = slab;
        return slab;
    }

    private readonly record struct Entry(Slab Slab, int Offset, int Length);

    private sealed class Slab(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;

        public int Used { get; set; }

        public int Live { get; set; }
    }
}
