using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>
/// A decision whose window has closed, taken by the joiner to be joined: its bytes (copied, so the joiner needs no
/// lock to write them) and what the joined event needs besides, without decoding the decision.
/// </summary>
internal readonly record struct DueJoin(
    string EventId, byte[] Decision, long DeadlineUnixMs, RewardAggregation Aggregation, double DefaultReward, RewardTally Rewards);
