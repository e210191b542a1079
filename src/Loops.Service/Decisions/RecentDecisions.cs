using System.Runtime.InteropServices;
using Loops.Contracts.V1;
using Loops.Feedback;

namespace Loops.Service.Decisions;

/// <summary>
/// The last decisions of this replica by event id, for explanations after their reward window closed. Bounded:
/// the oldest are forgotten first. Decisions are kept encoded, one after the other in large slabs that are reused in
/// turn as the oldest decisions are forgotten: the garbage collector sees a few hundred slabs, not an array (or a
/// graph of feature and action messages) per decision to copy and promote. Decisions are found by a 128-bit hash of
/// their event id (<see cref="EventKey"/>, as pending decisions are) rather than the id itself, so that no event id
/// string outlives its request to be promoted.
/// </summary>
internal sealed class RecentDecisions(int capacity = RecentDecisions.DefaultCapacity)
{
    /// <summary>How many decisions are kept when no capacity is given.</summary>
    public const int DefaultCapacity = 100_000;

    private const int SlabBytes = 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<EventKey, Entry> _byEventId = [];
    private readonly Queue<EventKey> _order = new();
    private readonly Queue<Slab> _slabs = new();
    private readonly Stack<byte[]> _idle = new();
    private readonly Dictionary<string, LatestEventIds> _latestByPolicy = new(StringComparer.Ordinal);
    private Slab? _current;

    /// <summary>Keeps a decision given as its protobuf encoding (copied).</summary>
    public void Add(string eventId, string policy, ReadOnlySpan<byte> encoded)
    {
        lock (_gate)
        {
            AddLocked(eventId, policy, encoded);
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

    public DecisionEvent? Find(string eventId)
    {
        byte[] copy;
        lock (_gate)
        {
            if (!_byEventId.TryGetValue(EventKey.Of(eventId), out var entry))
            {
                return null;
            }

            copy = entry.Slab.Bytes.AsSpan(entry.Offset, entry.Length).ToArray();
        }

        // Two ids with the same hash are not expected in the lifetime of the universe; the check costs nothing here.
        var decision = DecisionEvent.Parser.ParseFrom(copy);
        return decision.EventId == eventId ? decision : null;
    }

    private void AddLocked(string eventId, string policy, ReadOnlySpan<byte> encoded)
    {
        if (capacity == 0)
        {
            return;
        }

        // One lookup to find and to add: the index is large, and each probe of it is likely a cache miss.
        var key = EventKey.Of(eventId);
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_byEventId, key, out var exists);
        if (exists)
        {
            return;
        }

        var slab = SlabFor(encoded.Length);
        encoded.CopyTo(slab.Bytes.AsSpan(slab.Used));
        entry = new Entry(slab, slab.Used, encoded.Length);
        slab.Used += encoded.Length;
        slab.Live++;
        _order.Enqueue(key);
        if (!_latestByPolicy.TryGetValue(policy, out var latest))
        {
            _latestByPolicy[policy] = latest = new LatestEventIds();
        }

        latest.Add(eventId);
        while (_byEventId.Count > capacity && _order.TryDequeue(out var oldest))
        {
            if (_byEventId.Remove(oldest, out var forgotten))
            {
                forgotten.Slab.Live--;
            }
        }

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
