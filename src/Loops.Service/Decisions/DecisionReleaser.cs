using Loops.Constraints.Ledgers;
using Loops.Contracts.V1;
using Loops.Service.Observability;

namespace Loops.Service.Decisions;

/// <summary>DecisionService.ReleaseDecision: frees the cap and budget reservations of a decision whose bonus was never given.</summary>
internal sealed class DecisionReleaser(IConstraintLedger ledger, RecentDecisions recent, LoopsMetrics metrics, TimeProvider timeProvider)
{
    public async ValueTask<ReleaseDecisionResponse> ReleaseAsync(ReleaseDecisionRequest request, CancellationToken cancellationToken)
    {
        if (request.EventId.Length == 0)
        {
            throw GrpcErrors.Invalid("event_id is empty; send the event id of the decision to release.");
        }

        var released = await ledger.ReleaseAsync(request.EventId, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken)
            .ConfigureAwait(false);
        if (released && recent.Find(request.EventId) is { } decision)
        {
            metrics.Released(decision.Policy, decision.ChosenCost);
        }

        return new ReleaseDecisionResponse { Released = released };
    }
}
