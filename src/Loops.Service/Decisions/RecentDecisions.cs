using System.Collections.Concurrent;
using Loops.Contracts.V1;

namespace Loops.Service.Decisions;

/// <summary>
/// The last decisions of this replica by event id, for explanations after their reward window closed. Bounded:
/// the oldest are forgotten first.
/// </summary>
internal sealed class RecentDecisions(int capacity = RecentDecisions.DefaultCapacity)
{
    /// <summary>How many decisions are kept when no capacity is given.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly ConcurrentDictionary<string, DecisionEvent> _byEventId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public void Add(DecisionEvent decision)
    {
        if (!_byEventId.TryAdd(decision.EventId, decision))
        {
            return;
        }

        _order.Enqueue(decision.EventId);
        while (_byEventId.Count > capacity && _order.TryDequeue(out var oldest))
        {
            _byEventId.TryRemove(oldest, out _);
        }
    }

    public DecisionEvent? Find(string eventId) => _byEventId.GetValueOrDefault(eventId);
}
