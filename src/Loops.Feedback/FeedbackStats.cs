namespace Loops.Feedback;

/// <summary>
/// Counters (since the store was opened in this process) and gauges (current state, recovered state included)
/// of a feedback store.
/// </summary>
public readonly record struct FeedbackStats
{
    /// <summary>Decisions recorded since the store was opened.</summary>
    public long Decisions { get; init; }

    /// <summary>Decisions ignored because their event id was already pending or recently joined.</summary>
    public long DuplicateDecisions { get; init; }

    /// <summary>Rewards recorded since the store was opened (pending, orphan and late ones).</summary>
    public long Rewards { get; init; }

    /// <summary>Rewards received for an event id that was not pending (kept as orphans).</summary>
    public long OrphanRewards { get; init; }

    /// <summary>Rewards received after their decision's window closed (not counted in any join).</summary>
    public long LateRewards { get; init; }

    /// <summary>Orphan event ids dropped because their time to live passed or there were too many of them.</summary>
    public long ExpiredOrphans { get; init; }

    /// <summary>Decisions joined since the store was opened.</summary>
    public long Joined { get; init; }

    /// <summary>Joined decisions that received no reward and were given their default reward.</summary>
    public long DefaultRewarded { get; init; }

    /// <summary>Decisions currently waiting for their window to close.</summary>
    public long PendingJoins { get; init; }

    /// <summary>Event ids currently holding orphan rewards.</summary>
    public long LiveOrphans { get; init; }

    /// <summary>The sequence number of the last joined event (0 when none).</summary>
    public long LastJoinedSequence { get; init; }

    /// <summary>The earliest reward-window deadline of a pending decision (Unix ms), or 0 when none is pending.</summary>
    public long EarliestDeadlineUnixMs { get; init; }
}
