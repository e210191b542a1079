namespace Loops.Feedback;

/// <summary>The rewards received for an event id whose decision is not (yet) known.</summary>
internal readonly record struct OrphanReward(string EventId, long FirstReceivedAtUnixMs, RewardTally Rewards);
