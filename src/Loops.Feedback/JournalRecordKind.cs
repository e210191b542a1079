namespace Loops.Feedback;

/// <summary>The first byte of every journal record body. Values are on disk: never renumber.</summary>
internal enum JournalRecordKind : byte
{
    /// <summary>A <c>DecisionEvent</c>.</summary>
    Decision = 1,

    /// <summary>When it was received (int64 Unix ms), then a <c>RewardEvent</c>.</summary>
    Reward = 2,

    /// <summary>Sequence (int64), joined at (int64 Unix ms), then the UTF-8 event id.</summary>
    JoinedMarker = 3,

    /// <summary>Starts a checkpoint: the last joined sequence (int64).</summary>
    CheckpointStart = 4,

    /// <summary>Reward sum (double), reward count (int32), then a <c>DecisionEvent</c>. Read only: checkpoints of older versions.</summary>
    PendingDecision = 5,

    /// <summary>First received at (int64 Unix ms), reward sum (double), reward count (int32), then the UTF-8 event id. Read only.</summary>
    OrphanReward = 6,

    /// <summary>Event id hash (uint64), joined at (int64 Unix ms).</summary>
    RecentlyJoined = 7,

    /// <summary>Ends a checkpoint.</summary>
    CheckpointEnd = 8,

    /// <summary>Reward tally (sum double, count int32, first double, last double), then a <c>DecisionEvent</c>. Read only: checkpoints of older versions.</summary>
    PendingDecisionTally = 9,

    /// <summary>First received at (int64 Unix ms), reward tally (as in <see cref="PendingDecisionTally"/>), then the UTF-8 event id.</summary>
    OrphanRewardTally = 10,

    /// <summary>Filler over a batch whose write failed, so the records after it stay where they were placed. Ignored.</summary>
    Padding = 11,

    /// <summary>
    /// The decision's length (int32), the <c>DecisionEvent</c>, then the <c>DecideResponse</c> that answers its retries.
    /// Written by earlier versions and still read; retries are now answered with the response made from the decision.
    /// </summary>
    DecisionWithResponse = 12,

    /// <summary>
    /// A pending decision of a checkpoint, by where its record is: reward tally (as in <see cref="PendingDecisionTally"/>),
    /// segment (int32), offset (int64), frame length (int32), deadline (int64 Unix ms), aggregation (int32), default
    /// reward (double), whether the record holds a response (byte), then the UTF-8 event id. Read only: checkpoints
    /// of older versions.
    /// </summary>
    PendingLocation = 13,

    /// <summary>
    /// As <see cref="PendingLocation"/>, ending with the event id's <see cref="EventKey"/> (uint128, little-endian)
    /// instead of the id: the pending state keeps only the key.
    /// </summary>
    PendingKeyed = 14,
}
