using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>A decision waiting for its window to close, with the rewards received so far.</summary>
internal struct PendingDecision
{
    // Where the decision's record is in the journal: its bytes are read back from there when it is joined, rather
    // than kept in memory for the whole window.
    public JournalLocation Location;
    public long DeadlineUnixMs;
    public RewardAggregation Aggregation;
    public double DefaultReward;
    public RewardTally Rewards;

    // Whether the decision's retries are answered from its record: the record is in the journal (not so for state
    // made by tests) and holds what the response is made from (not so for records of versions that kept responses
    // apart and had no room left for this one's).
    public bool Answerable;

    // Set while the joiner writes the joined event; the decision stays pending (and in checkpoints) until its
    // joined marker is journaled, so a crash in between cannot lose it.
    public bool Joining;
}
