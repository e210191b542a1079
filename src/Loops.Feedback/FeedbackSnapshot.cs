namespace Loops.Feedback;

/// <summary>
/// The live feedback state, copied under the store's lock to be written as a journal checkpoint. Its pending decisions
/// are in an array the state reuses: valid until the state's next snapshot.
/// </summary>
internal sealed record FeedbackSnapshot(
    long LastJoinedSequence,
    ArraySegment<KeyValuePair<EventKey, PendingDecision>> Pending,
    KeyValuePair<string, OrphanReward>[] Orphans,
    RecentlyJoined[] RecentlyJoined);
