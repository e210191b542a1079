using System.Globalization;
using Loops.Contracts.V1;
using Loops.Feedback;
using Loops.Service.Observability;

namespace Loops.Service.Decisions;

/// <summary>Validates rewards and records them in the feedback store.</summary>
internal sealed class RewardRecorder(IFeedbackStore store, LoopsMetrics metrics, TimeProvider timeProvider)
{
    private const int MaxRewardsInFlight = 1024;
    private const int MaxRewardsPerBatch = 256;
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
    /// <remarks>
    /// Rewards that have already arrived go to the store together, as one batch, whenever the next one is not there
    /// yet (or the batch is full): a store that writes batches (Redis) costs one call per batch instead of a task
    /// per reward, and a caller that pauses still gets its rewards written at once. Several batches are in flight
    /// at a time; every one is written before the call answers.
    /// </remarks>
    public async ValueTask<RewardStreamResponse> RewardStreamAsync(IAsyncEnumerable<RewardRequest> requests, CancellationToken cancellationToken)
    {
        var inFlight = new RewardsInFlight(store, metrics, MaxRewardsInFlight, cancellationToken);
        var batch = new List<RewardEvent>(MaxRewardsPerBatch);
        long received = 0;
        var enumerator = requests.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            try
            {
                while (true)
                {
                    var next = enumerator.MoveNextAsync();
                    if (!next.IsCompleted && batch.Count > 0)
                    {
                        inFlight.Start(batch);
                        batch = new List<RewardEvent>(MaxRewardsPerBatch);
                    }

                    if (!await next.ConfigureAwait(false))
                    {
                        break;
                    }

                    batch.Add(ToEvent(enumerator.Current, $"rewards[{received}]"));
                    received++;
                    if (batch.Count == MaxRewardsPerBatch)
                    {
                        inFlight.Start(batch);
                        batch = new List<RewardEvent>(MaxRewardsPerBatch);
                    }

                    // Only here, with no read pending: a store failure surfacing now ends the call cleanly.
                    await inFlight.WaitWithinLimitAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                // Also when a bad reward ends the stream: the rewards before it stay recorded.
                if (batch.Count > 0)
                {
                    inFlight.Start(batch);
                }

                await inFlight.DrainAsync().ConfigureAwait(false);
            }
        }

        return new RewardStreamResponse { Accepted = inFlight.Accepted, UnknownEvents = inFlight.Accepted - inFlight.Found };
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
