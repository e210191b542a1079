using Loops.Contracts.V1;

namespace Loops.Feedback.Redis;

/// <summary>Rewards waiting to be written together, and the caller waiting for how many of them found their decision.</summary>
internal sealed class PendingRewards(IReadOnlyList<RewardEvent> rewards) : TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public IReadOnlyList<RewardEvent> Rewards { get; } = rewards;
}
