using System.Collections.Concurrent;
using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Service.Decisions;

/// <summary>
/// The last decisions of this replica by event id, for explanations after their reward window closed. Bounded:
/// the oldest are forgotten first. Decisions are kept encoded: one array each instead of a graph of feature and
/// action messages for the garbage collector to trace on every collection.
/// </summary>
internal sealed class RecentDecisions(int capacity = RecentDecisions.DefaultCapacity)
{
    /// <summary>How many decisions are kept when no capacity is given.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly ConcurrentDictionary<string, byte[]> _byEventId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    // ConcurrentDictionary.Count takes every lock; a counter of our own keeps Add cheap on the decision path.
    private int _count;

    public void Add(DecisionEvent decision)
    {
        if (!_byEventId.TryAdd(decision.EventId, decision.ToByteArray()))
        {
            return;
        }

        _order.Enqueue(decision.EventId);
        if (Interlocked.Increment(ref _count) <= capacity)
        {
            return;
        }

        if (_order.TryDequeue(out var oldest) && _byEventId.TryRemove(oldest, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    public DecisionEvent? Find(string eventId) =>
        _byEventId.TryGetValue(eventId, out var encoded) ? DecisionEvent.Parser.ParseFrom(encoded) : null;
}
