using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>A decision waiting for its window to close, with the rewards received so far.</summary>
internal struct PendingDecision
{
    // The decision as protobuf bytes, followed by the encoded response that answers its retries (if remembered), in
    // the state's slabs: no object per decision for the garbage collector to trace or copy.
    public PendingSlice Bytes;
    public long DeadlineUnixMs;
    public RewardAggregation Aggregation;
    public double DefaultReward;
    public RewardTally Rewards;

    // Set while the joiner writes the joined event; the decision stays pending (and in checkpoints) until its
    // joined marker is journaled, so a crash in between cannot lose it.
    public bool Joining;
}
