using Loops.Contracts.V1;
using Loops.Service.Observability;

namespace Loops.Service.Decisions;

/// <summary>Sees every logged decision: indexes it for explanations and counts its group, spend and masking in the metrics.</summary>
internal sealed class DecisionObserver(RecentDecisions recent, LoopsMetrics metrics)
{
    /// <param name="decision">The decision logged.</param>
    /// <param name="encoded">Its protobuf encoding.</param>
    /// <param name="startedTimestamp">When the Decide call started (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</param>
    public void Decided(DecisionEvent decision, ReadOnlySpan<byte> encoded, long startedTimestamp)
    {
        recent.Add(decision.EventId, decision.Policy, encoded);
        metrics.Constrained(decision);
        metrics.Decided(decision.Policy, startedTimestamp);
    }
}
