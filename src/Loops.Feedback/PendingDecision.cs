using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>A decision waiting for its window to close, with the rewards received so far.</summary>
internal struct PendingDecision
{
    public DecisionEvent Decision;
    public double RewardSum;
    public int RewardCount;

    // Set while the joiner writes the joined event; the decision stays pending (and in checkpoints) until its
    // joined marker is journaled, so a crash in between cannot lose it.
    public bool Joining;
}
