using Loops.Constraints.Ledgers;
using Loops.Contracts.V1;
using Loops.Feedback;
using Loops.Service.Observability;

namespace Loops.Service.Decisions;

/// <summary>DecisionService.ReleaseDecision: frees the cap and budget reservations of a decision whose bonus was never given.</summary>
internal sealed class DecisionReleaser(
    IConstraintLedger ledger, RecentDecisions recent, IFeedbackStore store, LoopsMetrics metrics, TimeProvider timeProvider)
{
    public async ValueTask<ReleaseDecisionResponse> ReleaseAsync(ReleaseDecisionRequest request, CancellationToken cancellationToken)
    {
        if (request.EventId.Length == 0)
        {
            throw GrpcErrors.Invalid("event_id is empty; send the event id of the decision to release.");
        }

        var released = await ledger.ReleaseAsync(request.EventId, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken)
            .ConfigureAwait(false);
        if (!released)
        {
            return new ReleaseDecisionResponse { Released = false };
        }

        // At full load the recent decisions cover seconds; a release usually comes within the reward window, while the
        // decision is still pending in the store.
        var decision = recent.Find(request.EventId)
            ?? await store.FindPendingDecisionAsync(request.EventId, cancellationToken).ConfigureAwait(false);
        if (decision is not null)
        {
            metrics.Released(decision.Policy, decision.ChosenCost);
        }

        return new ReleaseDecisionResponse { Released = true };
    }
}
