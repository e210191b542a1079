using Loops.Contracts.V1;

namespace Loops.Feedback.Redis;

/// <summary>A reward waiting for its batch to be written, and the caller waiting for it.</summary>
internal sealed class PendingReward(RewardEvent reward) : TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public RewardEvent Reward { get; } = reward;
}
