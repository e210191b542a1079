namespace Loops.Feedback;

/// <summary>A decision waiting for its window to close, with the rewards received so far.</summary>
internal struct PendingDecision
{
    // The decision as protobuf bytes: one array per pending decision instead of a graph of feature objects, so a
    // window of hundreds of thousands of decisions costs the garbage collector almost nothing to trace.
    public byte[] Encoded;
    public long DeadlineUnixMs;
    public RewardTally Rewards;

    // Set while the joiner writes the joined event; the decision stays pending (and in checkpoints) until its
    // joined marker is journaled, so a crash in between cannot lose it.
    public bool Joining;
}
