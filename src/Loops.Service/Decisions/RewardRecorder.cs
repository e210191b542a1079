using System.Globalization;
using Loops.Contracts.V1;
using Loops.Feedback;
using Loops.Service.Observability;

namespace Loops.Service.Decisions;

/// <summary>Validates rewards and records them in the feedback store.</summary>
internal sealed class RewardRecorder(IFeedbackStore store, LoopsMetrics metrics, TimeProvider timeProvider)
{
    public async ValueTask<RewardResponse> RewardAsync(RewardRequest request, CancellationToken cancellationToken)
    {
        var found = await store.RecordRewardAsync(ToEvent(request, "reward"), cancellationToken).ConfigureAwait(false);
        metrics.Rewarded(1, found);
        return new RewardResponse { EventFound = found };
    }

    /// <summary>
    /// Records every reward of a stream in order. A bad reward ends the call with INVALID_ARGUMENT naming its
    /// position; the rewards before it stay recorded.
    /// </summary>
    public async ValueTask<RewardStreamResponse> RewardStreamAsync(IAsyncEnumerable<RewardRequest> requests, CancellationToken cancellationToken)
    {
        long accepted = 0;
        long unknown = 0;
        await foreach (var request in requests.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var reward = ToEvent(request, $"rewards[{accepted}]");
            var found = await store.RecordRewardAsync(reward, cancellationToken).ConfigureAwait(false);
            metrics.Rewarded(1, found);
            accepted++;
            unknown += found ? 0 : 1;
        }

        return new RewardStreamResponse { Accepted = accepted, UnknownEvents = unknown };
    }

    private RewardEvent ToEvent(RewardRequest request, string field)
    {
        if (request.EventId.Length == 0)
        {
            throw GrpcErrors.Invalid($"{field}.event_id is empty; send the event id that Decide returned.");
        }

        if (!double.IsFinite(request.Value))
        {
            throw GrpcErrors.Invalid(
                $"{field}.value must be a finite number, got {request.Value.ToString(CultureInfo.InvariantCulture)}.");
        }

        return new RewardEvent
        {
            EventId = request.EventId,
            Value = request.Value,
            TimestampUnixMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
        };
    }
}
