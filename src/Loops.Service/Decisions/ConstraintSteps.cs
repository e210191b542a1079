using Google.Protobuf.Collections;
using Loops.Constraints;
using Loops.Constraints.Ledgers;
using Loops.Contracts.V1;
using Loops.Grpc;
using Loops.Training;

namespace Loops.Service.Decisions;

/// <summary>The Decider's constraint steps with their gRPC errors, kept apart so the Decider stays about deciding.</summary>
internal static class ConstraintSteps
{
    public static async ValueTask<ConstrainedDecision> MaskAsync(
        PolicySettings settings,
        DecideRequest request,
        string eventId,
        RepeatedField<Contracts.V1.Action> actions,
        DateTimeOffset now,
        bool[] allowed,
        IConstraintLedger ledger,
        CancellationToken cancellationToken)
    {
        var constraints = settings.Constraints;
        if (ConstrainedDecision.Validate(constraints, request.UserId) is { } error)
        {
            throw GrpcErrors.Invalid(error);
        }

        var step = new ConstrainedDecision(
            constraints, settings.Name, settings.SamplingSalt, request.UserId, eventId, request.Context, actions, now.ToUnixTimeMilliseconds());
        var left = await step.MaskAsync(ledger, allowed, cancellationToken).ConfigureAwait(false);
        return left > 0 ? step : throw NothingLeft(settings, constraints);
    }

    public static async ValueTask<bool> ReserveAsync(
        ConstrainedDecision step, int chosen, bool[] allowed, int count, IConstraintLedger ledger, CancellationToken cancellationToken)
    {
        if (await step.TryReserveAsync(ledger, chosen, allowed, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        for (var i = 0; i < count; i++)
        {
            if (allowed[i])
            {
                return false;
            }
        }

        throw new GrpcException(StatusCode.ResourceExhausted, "every candidate action is capped or out of budget; include the no-bonus action among the candidates.");
    }

    public static void Record(ConstrainedDecision step, DecisionEvent decision)
    {
        decision.Control = step.IsControl;
        decision.ChosenCost = step.ReservedCost;
        step.CopyMaskedTo(decision.Masked);
    }

    private static GrpcException NothingLeft(PolicySettings settings, ConstraintSet constraints) => new(
        StatusCode.FailedPrecondition,
        constraints.NoBonusActionId.Length > 0
            ? $"policy '{settings.Name}' masks every candidate action; include its no-bonus action '{constraints.NoBonusActionId}' among the candidates."
            : $"policy '{settings.Name}' masks every candidate action for this request.");
}
