using System.Buffers;
using System.Diagnostics;
using Google.Protobuf.Collections;
using Loops.Constraints;
using Loops.Constraints.Ledgers;
using Loops.Contracts;
using Loops.Contracts.V1;
using Loops.Core;
using Loops.Feedback;
using Loops.Training;

namespace Loops.Service.Decisions;

/// <summary>
/// Makes a decision: validate, hash the features, mask what the policy's constraints forbid, let the policy's bandit
/// policy score and explore over the allowed actions, sample with the event id's seed, reserve the chosen action's
/// budget and caps, log the decision, answer. The logged probability is the one the action was drawn with, under the
/// constrained distribution (see <see cref="ConstrainedDecision"/>).
/// </summary>
internal sealed class Decider(
    PolicyCatalog catalog, IFeedbackStore store, IConstraintLedger ledger, DecisionObserver observer, TimeProvider timeProvider)
{
    private const int MaxIdLength = 256;

    /// <param name="request">The request.</param>
    /// <param name="requestBytes">The request's encoding when the transport has it (its context and actions are
    /// copied into the logged decision from there), else empty; it must stay valid until this call completes.</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    /// <returns>The answer: written from this decision, or a retry's original response.</returns>
    public ValueTask<DecideAnswer> DecideAsync(
        DecideRequest request, ReadOnlySequence<byte> requestBytes, CancellationToken cancellationToken)
    {
        // Not one async method for all of it: most decisions wait only for the log, and a state machine that kept
        // every step's locals would be boxed, at several hundred bytes, on each of them.
        var started = Stopwatch.GetTimestamp();
        var decided = DecideCoreAsync(request, cancellationToken);
        return decided.IsCompletedSuccessfully
            ? LogAsync(request, decided.GetAwaiter().GetResult(), requestBytes, started, cancellationToken)
            : LogWhenDecidedAsync(request, decided, requestBytes, started, cancellationToken);
    }

    private async ValueTask<DecideAnswer> LogWhenDecidedAsync(
        DecideRequest request, ValueTask<Decided> decided, ReadOnlySequence<byte> requestBytes, long started, CancellationToken cancellationToken) =>
        await LogAsync(request, await decided.ConfigureAwait(false), requestBytes, started, cancellationToken).ConfigureAwait(false);

    private ValueTask<DecideAnswer> LogAsync(
        DecideRequest request, Decided decided, ReadOnlySequence<byte> requestBytes, long started, CancellationToken cancellationToken)
    {
        // Encoded once for the log and the index of recent decisions.
        var (decision, actions) = decided;
        var encoded = DecisionEncoding.Encode(
            decision, request.Context, actions, ReferenceEquals(actions, request.Actions), requestBytes, out var size);
        ValueTask<DecideResponse?> original;
        try
        {
            // A retried Decide (same event id) is logged once and answered with the original response.
            original = store.RecordDecisionOrFindOriginalAsync(decision, encoded.AsMemory(0, size), cancellationToken);
        }
        catch
        {
            DecisionEncoding.Buffers.Return(encoded);
            throw;
        }

        return ObserveWhenLoggedAsync(original, decision, encoded, size, started);
    }

    private async ValueTask<DecideAnswer> ObserveWhenLoggedAsync(
        ValueTask<DecideResponse?> recorded, DecisionEvent decision, byte[] encoded, int size, long started)
    {
        try
        {
            var original = await recorded.ConfigureAwait(false);
            observer.Decided(decision, encoded.AsSpan(0, size), started);

            // Made from the decision, as a retry's answer is made from its record.
            return original is null ? DecideAnswer.Of(decision) : DecideAnswer.Of(original);
        }
        finally
        {
            DecisionEncoding.Buffers.Return(encoded);
        }
    }

    // The decision comes without its context and actions: DecisionEncoding adds them as it encodes it.
    private async ValueTask<Decided> DecideCoreAsync(DecideRequest request, CancellationToken cancellationToken)
    {
        if (request.Policy.Length == 0)
        {
            throw GrpcErrors.Invalid("policy is empty; name the policy to decide with.");
        }

        var state = catalog.Find(request.Policy) ?? throw GrpcErrors.PolicyNotFound(request.Policy);
        var settings = state.Settings;
        var actions = Validate(request, settings);
        var eventId = request.EventId.Length > 0 ? request.EventId : EventIds.New();
        var count = actions.Count;
        var scores = ArrayPool<double>.Shared.Rent(count);
        var probabilities = ArrayPool<double>.Shared.Rent(count);
        var allowed = ArrayPool<bool>.Shared.Rent(count);
        try
        {
            var allowedCount = MarkAllowed(actions, request.ExcludedActionIds, allowed.AsSpan(0, count));
            if (allowedCount == 0)
            {
                throw GrpcErrors.Invalid("excluded_action_ids excludes every candidate action; leave at least one.");
            }

            var now = timeProvider.GetUtcNow();
            var constrained = settings.Constraints.IsActive
                ? await ConstraintSteps.MaskAsync(settings, request, eventId, actions, now, allowed, ledger, cancellationToken).ConfigureAwait(false)
                : null;
            var seed = Sampling.SeedOf(eventId, settings.SamplingSalt);
            // One read of the live model: a hot swap during this decision cannot mix two versions.
            var live = state.Live;
            int chosen;
            using (var features = DecisionFeatures.Encode(request.Context, actions))
            {
                // A lost race for a cap or budget masks the action and draws again from what is left.
                do
                {
                    live.Policy.Decide(features, allowed.AsSpan(0, count), seed, scores.AsSpan(0, count), probabilities.AsSpan(0, count));
                    chosen = Sampling.Sample(probabilities.AsSpan(0, count), seed);
                }
                while (constrained is not null
                    && !await ConstraintSteps.ReserveAsync(constrained, chosen, allowed, count, ledger, cancellationToken).ConfigureAwait(false));
            }

            var exploratory = scores[chosen] < BestAllowedScore(scores.AsSpan(0, count), allowed.AsSpan(0, count));
            var version = live.Version;
            var decision = new DecisionEvent
            {
                EventId = eventId,
                Policy = settings.Name,
                ModelVersion = version,
                TimestampUnixMs = now.ToUnixTimeMilliseconds(),
                UserId = request.UserId,
                ChosenIndex = chosen,
                Exploratory = exploratory,
                JoinDeadlineUnixMs = (now + settings.RewardWindow).ToUnixTimeMilliseconds(),
                DefaultReward = settings.DefaultReward,
                RewardAggregation = settings.RewardAggregation,
            };
            AddAll(decision.Probabilities, probabilities.AsSpan(0, count));
            AddAll(decision.Scores, scores.AsSpan(0, count));
            if (constrained is not null)
            {
                ConstraintSteps.Record(constrained, decision);
            }

            return new Decided(decision, actions);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scores);
            ArrayPool<double>.Shared.Return(probabilities);
            ArrayPool<bool>.Shared.Return(allowed);
        }
    }

    private static void AddAll(RepeatedField<double> field, ReadOnlySpan<double> values)
    {
        field.Capacity = values.Length;
        foreach (var value in values)
        {
            field.Add(value);
        }
    }

    private static RepeatedField<Contracts.V1.Action> Validate(DecideRequest request, PolicySettings settings)
    {
        if (request.EventId.Length > MaxIdLength)
        {
            throw GrpcErrors.Invalid($"event_id is {request.EventId.Length} characters long; the limit is {MaxIdLength}.");
        }

        if (request.UserId.Length > MaxIdLength)
        {
            throw GrpcErrors.Invalid($"user_id is {request.UserId.Length} characters long; the limit is {MaxIdLength}.");
        }

        if (ActionValidator.ValidateFeatures(request.Context, "context") is { } contextError)
        {
            throw GrpcErrors.Invalid(contextError);
        }

        if (request.Actions.Count > 0)
        {
            if (ActionValidator.Validate(request.Actions, "actions") is { } actionError)
            {
                throw GrpcErrors.Invalid(actionError);
            }

            return request.Actions;
        }

        if (settings.Catalogue.Count == 0)
        {
            throw GrpcErrors.Invalid(
                $"actions is empty and policy '{settings.Name}' has no catalogue; send the candidate actions or define policy.actions.");
        }

        return settings.Catalogue;
    }

    private static int MarkAllowed(RepeatedField<Contracts.V1.Action> actions, RepeatedField<string> excluded, Span<bool> allowed)
    {
        var count = 0;
        for (var i = 0; i < allowed.Length; i++)
        {
            allowed[i] = !excluded.Contains(actions[i].Id);
            count += allowed[i] ? 1 : 0;
        }

        return count;
    }

    private static double BestAllowedScore(ReadOnlySpan<double> scores, ReadOnlySpan<bool> allowed)
    {
        var best = double.NegativeInfinity;
        for (var i = 0; i < scores.Length; i++)
        {
            if (allowed[i] && scores[i] > best)
            {
                best = scores[i];
            }
        }

        return best;
    }

    private readonly record struct Decided(DecisionEvent Decision, RepeatedField<Contracts.V1.Action> Actions);
}
