namespace Loops.Feedback;

/// <summary>
/// The live feedback state at one moment, to be written as a journal checkpoint: taken under the store's lock, its
/// pending decisions and orphan rewards then read a shard at a time (see <see cref="EventKeyMapSnapshot{TValue}"/>).
/// Valid until the state's next snapshot.
/// </summary>
internal sealed record FeedbackSnapshot(
    long LastJoinedSequence,
    EventKeyMapSnapshot<PendingDecision> Pending,
    EventKeyMapSnapshot<OrphanReward> Orphans,
    IEnumerable<RecentlyJoined> RecentlyJoined);
