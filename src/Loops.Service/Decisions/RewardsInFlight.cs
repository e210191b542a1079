using Loops.Contracts.V1;
using Loops.Feedback;
using Loops.Service.Observability;

namespace Loops.Service.Decisions;

/// <summary>
/// The batches of one reward stream that the store is writing: bounded in rewards, so a client sending faster than
/// the store writes waits, and counted in order as they complete.
/// </summary>
internal sealed class RewardsInFlight(IFeedbackStore store, LoopsMetrics metrics, int maxRewards)
{
    private readonly Queue<(Task<int> Found, int Count)> _batches = new();
    private int _rewards;

    /// <summary>Rewards the store has written.</summary>
    public long Accepted { get; private set; }

    /// <summary>Rewards written whose decision the store knew.</summary>
    public long Found { get; private set; }

    /// <summary>Starts writing a batch, after waiting for older batches while the limit would be passed.</summary>
    /// <param name="batch">The rewards; the store keeps the list, so the caller must not change it afterwards.</param>
    /// <param name="cancellationToken">Observed until the batch is accepted.</param>
    public async ValueTask AddAsync(List<RewardEvent> batch, CancellationToken cancellationToken)
    {
        while (_rewards + batch.Count > maxRewards && _batches.Count > 0)
        {
            await CompleteOldestAsync().ConfigureAwait(false);
        }

        _batches.Enqueue((store.RecordRewardsAsync(batch, cancellationToken).AsTask(), batch.Count));
        _rewards += batch.Count;
    }

    /// <summary>Waits until every batch is written.</summary>
    public async ValueTask DrainAsync()
    {
        while (_batches.Count > 0)
        {
            await CompleteOldestAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask CompleteOldestAsync()
    {
        var (recording, count) = _batches.Dequeue();
        _rewards -= count;
        var found = await recording.ConfigureAwait(false);
        metrics.Rewarded(found, matched: true);
        metrics.Rewarded(count - found, matched: false);
        Accepted += count;
        Found += found;
    }
}
