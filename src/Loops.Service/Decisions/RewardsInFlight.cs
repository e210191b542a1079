using Loops.Contracts.V1;
using Loops.Feedback;
using Loops.Service.Observability;

namespace Loops.Service.Decisions;

/// <summary>
/// The batches of one reward stream that the store is writing: bounded in rewards (a client sending faster than the
/// store writes waits), and counted in order as they complete.
/// </summary>
/// <param name="store">The store the batches go to.</param>
/// <param name="metrics">Counts the rewards as their batches complete.</param>
/// <param name="maxRewards">How many rewards may be in flight before the caller waits.</param>
/// <param name="cancellationToken">Observed by the store until each batch is accepted.</param>
internal sealed class RewardsInFlight(IFeedbackStore store, LoopsMetrics metrics, int maxRewards, CancellationToken cancellationToken)
{
    private readonly Queue<(Task<int> Found, int Count)> _batches = new();
    private int _rewards;

    /// <summary>Rewards the store has written.</summary>
    public long Accepted { get; private set; }

    /// <summary>Rewards written whose decision the store knew.</summary>
    public long Found { get; private set; }

    /// <summary>Starts writing a batch, whatever is in flight: <see cref="WaitWithinLimitAsync"/> keeps the bound.</summary>
    /// <param name="batch">The rewards; the store keeps the list, so the caller must not change it afterwards.</param>
    public void Start(List<RewardEvent> batch)
    {
        _batches.Enqueue((store.RecordRewardsAsync(batch, cancellationToken).AsTask(), batch.Count));
        _rewards += batch.Count;
    }

    /// <summary>Waits for the oldest batches while more rewards than the limit are in flight.</summary>
    public async ValueTask WaitWithinLimitAsync()
    {
        while (_rewards > maxRewards)
        {
            await CompleteOldestAsync().ConfigureAwait(false);
        }
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
