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

    private readonly ConcurrentDictionary<string, LatestEventIds> _latestByPolicy = new(StringComparer.Ordinal);

    // ConcurrentDictionary.Count takes every lock; a counter of our own keeps Add cheap on the decision path.
    private int _count;

    public void Add(DecisionEvent decision)
    {
        if (!_byEventId.TryAdd(decision.EventId, decision.ToByteArray()))
        {
            return;
        }

        _order.Enqueue(decision.EventId);
        _latestByPolicy.GetOrAdd(decision.Policy, static _ => new LatestEventIds()).Add(decision.EventId);
        if (Interlocked.Increment(ref _count) <= capacity)
        {
            return;
        }

        if (_order.TryDequeue(out var oldest) && _byEventId.TryRemove(oldest, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>The policy's most recent decisions still kept, newest first; at most <see cref="LatestEventIds.Capacity"/>.</summary>
    public IReadOnlyList<DecisionEvent> Latest(string policy, int limit)
    {
        if (!_latestByPolicy.TryGetValue(policy, out var latest))
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

    public DecisionEvent? Find(string eventId) =>
        _byEventId.TryGetValue(eventId, out var encoded) ? DecisionEvent.Parser.ParseFrom(encoded) : null;
}
