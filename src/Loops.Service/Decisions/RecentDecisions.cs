using Loops.Contracts.V1;
using Loops.Feedback;

namespace Loops.Service.Decisions;

/// <summary>
/// The last decisions of this replica, for explanations after their reward window closed and for releases. Bounded:
/// the oldest are forgotten first. Decisions are kept encoded, one after the other in large slabs that are reused in
/// turn as the oldest decisions are forgotten: the garbage collector sees a few hundred slabs, not an array (or a
/// graph of feature and action messages) per decision to copy and promote.
/// Every Decide adds one and few ever look one up, so there is no index to keep up: decisions sit in a ring in the
/// order they came, known by the 128-bit hash of their event id (<see cref="EventKey"/>, as pending decisions are),
/// and a lookup searches the ring's keys, vectorized, in well under a millisecond. A dictionary made each Decide
/// pay an insertion and a removal, each a likely cache miss, for lookups that almost never come.
/// </summary>
internal sealed class RecentDecisions
{
    /// <summary>How many decisions are kept when no capacity is given.</summary>
    public const int DefaultCapacity = 100_000;

    private const int SlabBytes = 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly int _capacity;

    // The ring: the halves of each decision's key (the low ones side by side, for the search) and where its bytes are.
    private readonly ulong[] _keyLows;
    private readonly ulong[] _keyHighs;
    private readonly Entry[] _entries;
    private readonly Queue<Slab> _slabs = new();
    private readonly Stack<byte[]> _idle = new();
    private readonly Dictionary<string, LatestEventIds> _latestByPolicy = new(StringComparer.Ordinal);
    private Slab? _current;
    private long _added;

    /// <param name="capacity">How many decisions are kept.</param>
    public RecentDecisions(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        _keyLows = new ulong[capacity];
        _keyHighs = new ulong[capacity];
        _entries = new Entry[capacity];
    }

    /// <summary>Keeps a decision given as its protobuf encoding (copied).</summary>
    public void Add(string eventId, string policy, ReadOnlySpan<byte> encoded)
    {
        if (_capacity == 0)
        {
            return;
        }

        var key = EventKey.Of(eventId).Value;
        lock (_gate)
        {
            var slot = (int)(_added % _capacity);
            if (_added >= _capacity)
            {
                Forget(slot);
            }

            var slab = SlabFor(encoded.Length);
            encoded.CopyTo(slab.Bytes.AsSpan(slab.Used));
            _entries[slot] = new Entry(slab, slab.Used, encoded.Length);
            _keyLows[slot] = (ulong)key;
            _keyHighs[slot] = (ulong)(key >> 64);
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
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var eventId in latest.NewestFirst())
        {
            if (result.Count >= limit)
            {
                break;
            }

            // A retried Decide is added again; it is listed once, as it was first decided.
            if (listed.Add(eventId) && Find(eventId) is { } decision)
            {
                result.Add(decision);
            }
        }

        return result;
    }

    /// <summary>The decision with this event id, as it was first decided (a retry is answered with it), or null.</summary>
    public DecisionEvent? Find(string eventId)
    {
        var key = EventKey.Of(eventId).Value;
        var low = (ulong)key;
        var high = (ulong)(key >> 64);
        byte[]? copy = null;
        lock (_gate)
        {
            var count = (int)Math.Min(_added, _capacity);
            var oldest = _added > _capacity ? (int)(_added % _capacity) : 0;

            // Oldest first: the ring from the oldest slot to its end, then from its start.
            var slot = FindKey(oldest, count - oldest, low, high);
            if (slot < 0 && oldest > 0)
            {
                slot = FindKey(0, oldest, low, high);
            }

            if (slot >= 0)
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

    private int FindKey(int start, int length, ulong low, ulong high)
    {
        var lows = _keyLows.AsSpan(start, length);
        var at = 0;
        while (at < lows.Length)
        {
            var found = lows[at..].IndexOf(low);
            if (found < 0)
            {
                return -1;
            }

            var slot = start + at + found;
            if (_keyHighs[slot] == high)
            {
                return slot;
            }

            at += found + 1;
        }

        return -1;
    }

    private void Forget(int slot)
    {
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
