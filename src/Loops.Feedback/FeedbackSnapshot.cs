namespace Loops.Feedback;

/// <summary>The live feedback state, copied under the store's lock to be written as a journal checkpoint.</summary>
internal sealed record FeedbackSnapshot(
    long LastJoinedSequence,
    KeyValuePair<EventKey, PendingDecision>[] Pending,
    KeyValuePair<string, OrphanReward>[] Orphans,
    RecentlyJoined[] RecentlyJoined);
