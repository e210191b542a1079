using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>
/// A decision whose window has closed, taken by the joiner to be joined: where its bytes are in the journal and what
/// the joined event needs besides, without decoding the decision. The event id itself is read back with the record.
/// </summary>
internal readonly record struct DueJoin(
    EventKey Key, JournalLocation Location, long DeadlineUnixMs, RewardAggregation Aggregation, double DefaultReward, RewardTally Rewards);
