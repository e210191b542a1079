using Loops.Contracts.V1;
using Loops.Service.Observability;

namespace Loops.Service.Decisions;

/// <summary>Sees every logged decision: indexes it for explanations and counts its group, spend and masking in the metrics.</summary>
internal sealed class DecisionObserver(RecentDecisions recent, LoopsMetrics metrics)
{
    public void Decided(DecisionEvent decision)
    {
        recent.Add(decision);
        metrics.Constrained(decision);
    }
}
