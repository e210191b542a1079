using Loops.Contracts.V1;
using Loops.Service.Observability;

namespace Loops.Service.Decisions;

/// <summary>Sees every logged decision: indexes it for explanations and counts its group, spend and masking in the metrics.</summary>
internal sealed class DecisionObserver(RecentDecisions recent, LoopsMetrics metrics)
{
    /// <param name="decision">The decision logged.</param>
    /// <param name="encoded">Its protobuf encoding.</param>
    public void Decided(DecisionEvent decision, ReadOnlySpan<byte> encoded)
    {
        recent.Add(decision.EventId, decision.Policy, encoded);
        metrics.Constrained(decision);
    }
}
