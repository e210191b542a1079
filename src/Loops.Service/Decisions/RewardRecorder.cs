using System.Globalization;
using Loops.Contracts.V1;
using Loops.Feedback;
using Loops.Service.Observability;

namespace Loops.Service.Decisions;

/// <summary>Validates rewards and records them in the feedback store.</summary>
internal sealed class RewardRecorder(IFeedbackStore store, LoopsMetrics metrics, TimeProvider timeProvider)
{
    private const int MaxRewardsInFlight = 64;
    private const int MaxRewardIdLength = 256;

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
        long received = 0;

        // Several rewards in flight at once, so a store that batches its writes (Redis) is not held to one round trip
        // per reward; they are counted in order, and every one is written before the call answers.
        var inFlight = new Queue<Task<bool>>();
        try
        {
            await foreach (var request in requests.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var reward = ToEvent(request, $"rewards[{received}]");
                received++;
                inFlight.Enqueue(store.RecordRewardAsync(reward, cancellationToken).AsTask());
                if (inFlight.Count >= MaxRewardsInFlight)
                {
                    var found = await inFlight.Dequeue().ConfigureAwait(false);
                    metrics.Rewarded(1, found);
                    unknown += found ? 0 : 1;
                    accepted++;
                }
            }
        }
        finally
        {
            // Also when a bad reward ends the stream: the rewards before it stay recorded.
            while (inFlight.TryDequeue(out var recording))
            {
                var found = await recording.ConfigureAwait(false);
                metrics.Rewarded(1, found);
                unknown += found ? 0 : 1;
                accepted++;
            }
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

        if (request.RewardId.Length > MaxRewardIdLength)
        {
            throw GrpcErrors.Invalid($"{field}.reward_id is {request.RewardId.Length} characters long; the limit is {MaxRewardIdLength}.");
        }

        return new RewardEvent
        {
            EventId = request.EventId,
            RewardId = request.RewardId,
            Value = request.Value,
            TimestampUnixMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
        };
    }
}
