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

    /// <summary>Starts a segment's checkpoint: the last joined sequence (int64).</summary>
    CheckpointStart = 4,

    /// <summary>Reward sum (double), reward count (int32), then a <c>DecisionEvent</c>. Read only: checkpoints of older versions.</summary>
    PendingDecision = 5,

    /// <summary>First received at (int64 Unix ms), reward sum (double), reward count (int32), then the UTF-8 event id. Read only.</summary>
    OrphanReward = 6,

    /// <summary>Event id hash (uint64), joined at (int64 Unix ms).</summary>
    RecentlyJoined = 7,

    /// <summary>Ends a segment's checkpoint.</summary>
    CheckpointEnd = 8,

    /// <summary>Reward tally (sum double, count int32, first double, last double), then a <c>DecisionEvent</c>.</summary>
    PendingDecisionTally = 9,

    /// <summary>First received at (int64 Unix ms), reward tally (as in <see cref="PendingDecisionTally"/>), then the UTF-8 event id.</summary>
    OrphanRewardTally = 10,
}
