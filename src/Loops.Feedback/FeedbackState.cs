using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>
/// The in-memory join state: pending decisions, their deadlines, orphan rewards and recently joined ids.
/// Pure and single-threaded (the store calls it under its lock); the same methods apply live events and replay the
/// journal, which is what keeps the recovered state identical to the one that was lost. Pending decisions are kept
/// by where their records are in the journal, and the state counts them per segment so that a segment is kept
/// while any of its decisions is pending.
/// </summary>
internal sealed class FeedbackState
{
    private readonly EventKeyMap<PendingDecision> _pending = new();
    private readonly DeadlineQueue _deadlines = new();
    private readonly EventKeyMap<OrphanReward> _orphans = new();

    // 2,048 arrivals of 32 bytes: 64 KB a chunk.
    private readonly ChunkQueue<(EventKey Key, long ReceivedAtUnixMs)> _orphanArrivals = new(2048);
    private readonly JoinedIds _recentlyJoined = new();
    private readonly Dictionary<int, int> _references = [];
    private readonly long _orphanTtlMs;
    private readonly int _maxOrphans;
    private int _releasedSegments;

    /// <param name="orphanTtl">How long rewards of an unknown event id are kept.</param>
    /// <param name="maxOrphans">The most event ids with orphan rewards (and recently joined ids) kept.</param>
    public FeedbackState(TimeSpan orphanTtl, int maxOrphans)
    {
        _orphanTtlMs = (long)orphanTtl.TotalMilliseconds;
        _maxOrphans = maxOrphans;
    }

    public int PendingCount => _pending.Count;

    /// <summary>
    /// Counts the segments that stopped being referenced; read without the lock by the journal writer to know when
    /// to look for segments it can delete.
    /// </summary>
    public int ReleasedSegments => Volatile.Read(ref _releasedSegments);

    /// <summary>The segments that pending decisions (or readers) refer to.</summary>
    public IEnumerable<int> ReferencedSegments => _references.Keys;

    /// <summary>Whether the state still needs a journal segment: a pending decision's record is in it.</summary>
    public bool IsReferenced(int segment) => _references.ContainsKey(segment);

    /// <summary>Where the record of a pending event is, or null.</summary>
    public JournalLocation? FindPending(string eventId) =>
        _pending.TryGetValue(EventKey.Of(eventId), out var pending) ? pending.Location : null;

    /// <summary>
    /// Where the record of a pending event whose window is still open is, when a retried decision is answered from it;
    /// else null.
    /// </summary>
    public JournalLocation? FindAnswerable(string eventId, long nowUnixMs) =>
        _pending.TryGetValue(EventKey.Of(eventId), out var pending) && pending.Answerable && pending.DeadlineUnixMs > nowUnixMs
            ? pending.Location
            : null;

    public int OrphanCount => _orphans.Count;

    /// <summary>The highest sequence whose joined marker has been applied.</summary>
    public long LastJoinedSequence { get; set; }

    /// <summary>The earliest deadline queued, or <see cref="long.MaxValue"/>.</summary>
    public long NextDeadline => _deadlines.TryPeek(out _, out var deadline) ? deadline : long.MaxValue;

    /// <summary>Adds a decision without a journal record, for tests; false for a duplicate id.</summary>
    public bool ApplyDecision(DecisionEvent decision) => ApplyDecision(decision, default, answerable: false);

    /// <summary>
    /// Adds a decision (with any orphan rewards already received for it) by where its record is, and whether its
    /// retries are answered from that record; false for a duplicate id.
    /// </summary>
    public bool ApplyDecision(DecisionEvent decision, JournalLocation location, bool answerable) =>
        ApplyDecision(decision, IdKeys.Of(decision.EventId), location, answerable);

    /// <summary>Like <see cref="ApplyDecision(DecisionEvent, JournalLocation, bool)"/>, with the keys of the decision's id.</summary>
    public bool ApplyDecision(DecisionEvent decision, IdKeys keys, JournalLocation location, bool answerable)
    {
        var deadlineUnixMs = decision.JoinDeadlineUnixMs;
        if (_recentlyJoined.Contains(keys.Joined))
        {
            return false;
        }

        var key = keys.Pending;
        ref var pending = ref _pending.GetValueRefOrAddDefault(key, out var exists);
        if (exists)
        {
            return false;
        }

        pending.Answerable = answerable;
        AddReference(location.Segment);
        pending.Location = location;
        pending.DeadlineUnixMs = deadlineUnixMs;
        pending.Aggregation = decision.RewardAggregation;
        pending.DefaultReward = decision.DefaultReward;
        if (_orphans.Count > 0 && _orphans.Remove(key, out var orphan))
        {
            pending.Rewards = orphan.Rewards;
        }

        _deadlines.Enqueue(key, deadlineUnixMs);
        return true;
    }

    public RewardOutcome ApplyReward(RewardEvent reward, long receivedAtUnixMs)
    {
        var eventId = reward.EventId;
        var key = EventKey.Of(eventId);
        ref var pending = ref _pending.GetValueRefOrNullRef(key);
        if (!Unsafe.IsNullRef(ref pending))
        {
            if (pending.Joining || receivedAtUnixMs >= pending.DeadlineUnixMs)
            {
                return RewardOutcome.Late;
            }

            pending.Rewards = pending.Rewards.Add(reward.Value);
            return RewardOutcome.Pending;
        }

        if (_recentlyJoined.Contains(Hash(eventId)))
        {
            return RewardOutcome.Late;
        }

        AddOrphan(key, new OrphanReward(eventId, receivedAtUnixMs, default(RewardTally).Add(reward.Value)));
        return RewardOutcome.Orphan;
    }

    /// <summary>Marks up to <paramref name="max"/> decisions whose deadline is at or before now as joining.</summary>
    public void TakeDue(long nowUnixMs, int max, List<DueJoin> due)
    {
        while (due.Count < max && _deadlines.TryPeek(out var key, out var deadline) && deadline <= nowUnixMs)
        {
            _deadlines.Dequeue();
            ref var pending = ref _pending.GetValueRefOrNullRef(key);
            if (Unsafe.IsNullRef(ref pending) || pending.Joining || pending.DeadlineUnixMs != deadline)
            {
                continue;
            }

            pending.Joining = true;
            due.Add(new DueJoin(key, pending.Location, deadline, pending.Aggregation, pending.DefaultReward, pending.Rewards));
        }
    }

    /// <summary>Puts decisions back in the queue after their joined events could not be written.</summary>
    public void AbortJoins(List<DueJoin> due)
    {
        foreach (var join in due)
        {
            ref var pending = ref _pending.GetValueRefOrNullRef(join.Key);
            if (!Unsafe.IsNullRef(ref pending))
            {
                pending.Joining = false;
                _deadlines.Enqueue(join.Key, join.DeadlineUnixMs);
            }
        }
    }

    /// <summary>Removes a joined decision and remembers its id so later rewards count as late.</summary>
    public void CompleteJoin(string eventId, long sequence, long joinedAtUnixMs) =>
        CompleteJoin(IdKeys.Of(eventId), sequence, joinedAtUnixMs);

    /// <summary>Like <see cref="CompleteJoin(string, long, long)"/>, with the keys of the event's id.</summary>
    public void CompleteJoin(IdKeys keys, long sequence, long joinedAtUnixMs)
    {
        Drop(keys.Pending);
        RememberJoined(keys.Joined, joinedAtUnixMs);
        LastJoinedSequence = Math.Max(LastJoinedSequence, sequence);
    }

    /// <summary>Forgets a pending decision without joining it (its record could not be read back).</summary>
    public void Drop(EventKey key)
    {
        if (_pending.Remove(key, out var pending))
        {
            ReleaseReference(pending.Location.Segment);
        }
    }

    /// <summary>Keeps a segment from being deleted while a reader outside the lock reads from it.</summary>
    public void AddReference(int segment) => CollectionsMarshal.GetValueRefOrAddDefault(_references, segment, out _)++;

    /// <summary>Ends a reference taken by <see cref="AddReference"/> or by a pending decision.</summary>
    public void ReleaseReference(int segment)
    {
        ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(_references, segment);
        if (--count == 0)
        {
            _references.Remove(segment);
            Volatile.Write(ref _releasedSegments, _releasedSegments + 1);
        }
    }

    /// <summary>Drops orphans and recently joined ids older than the orphan TTL; returns how many orphans expired.</summary>
    public int ExpireStale(long nowUnixMs)
    {
        var expired = 0;
        var cutoff = nowUnixMs - _orphanTtlMs;
        while (_orphanArrivals.Count > 0 && _orphanArrivals.First.ReceivedAtUnixMs <= cutoff)
        {
            if (RemoveOrphanArrival(_orphanArrivals.Dequeue()))
            {
                expired++;
            }
        }

        _recentlyJoined.ExpireUpTo(cutoff);
        return expired;
    }

    /// <summary>Restores a pending decision of an older checkpoint, which held its bytes (at <paramref name="location"/>).</summary>
    public void RestorePending(DecisionEvent decision, JournalLocation location, RewardTally rewards)
    {
        if (ApplyDecision(decision, location, answerable: false))
        {
            ref var pending = ref _pending.GetValueRefOrNullRef(EventKey.Of(decision.EventId));
            pending.Rewards = rewards.Then(pending.Rewards);
        }
    }

    /// <summary>
    /// Restores a pending decision of a checkpoint. A checkpoint holds no orphan rewards for its pending decisions,
    /// and its orphans come after them: there are none to merge.
    /// </summary>
    public void RestorePending(EventKey key, PendingDecision restored)
    {
        ref var pending = ref _pending.GetValueRefOrAddDefault(key, out var exists);
        if (exists)
        {
            return;
        }

        pending = restored;
        pending.Joining = false;
        AddReference(restored.Location.Segment);
        _deadlines.Enqueue(key, pending.DeadlineUnixMs);
    }

    public void RestoreOrphan(OrphanReward orphan) => AddOrphan(EventKey.Of(orphan.EventId), orphan);

    public void RestoreRecentlyJoined(RecentlyJoined joined) => RememberJoined(joined.EventIdHash, joined.JoinedAtUnixMs);

    /// <summary>The pending map, for readying the arrays its next snapshot is copied into; only under the store's lock.</summary>
    public EventKeyMap<PendingDecision> Pending => _pending;

    /// <summary>
    /// Snapshots the state for a checkpoint (pending decisions by location, no decision bytes); only under
    /// <paramref name="gate"/>, which guards the state and under which the pending decisions are read afterwards.
    /// Valid until the next snapshot.
    /// </summary>
    public FeedbackSnapshot TakeSnapshot(Lock gate) =>
        new(LastJoinedSequence, new(_pending, _pending.Freeze(), gate), new(_orphans, _orphans.Freeze(), gate), _recentlyJoined.Snapshot());

    private static ulong Hash(string eventId) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(eventId.AsSpan()));

    /// <summary>
    /// The two keys an event id is known by, computed once per decision: <paramref name="Pending"/> for pending
    /// decisions and <paramref name="Joined"/> for recently joined ids.
    /// </summary>
    public readonly record struct IdKeys(EventKey Pending, ulong Joined)
    {
        public static IdKeys Of(string eventId) => Of(EventKey.Of(eventId), eventId);

        /// <summary>The keys of an event id whose pending key is known already.</summary>
        public static IdKeys Of(EventKey pending, string eventId) => new(pending, Hash(eventId));
    }

    private void AddOrphan(EventKey key, OrphanReward received)
    {
        if (_maxOrphans == 0)
        {
            return;
        }

        ref var orphan = ref _orphans.GetValueRefOrAddDefault(key, out var exists);
        if (exists)
        {
            orphan = orphan with { Rewards = orphan.Rewards.Then(received.Rewards) };
            return;
        }

        orphan = received;
        _orphanArrivals.Enqueue((key, received.FirstReceivedAtUnixMs));
        while (_orphans.Count > _maxOrphans && _orphanArrivals.Count > 0)
        {
            RemoveOrphanArrival(_orphanArrivals.Dequeue());
        }
    }

    // An arrival entry is stale when its orphan was since consumed by a decision (and maybe re-created later).
    private bool RemoveOrphanArrival((EventKey Key, long ReceivedAtUnixMs) arrival) =>
        _orphans.TryGetValue(arrival.Key, out var orphan)
        && orphan.FirstReceivedAtUnixMs == arrival.ReceivedAtUnixMs
        && _orphans.Remove(arrival.Key, out _);

    private void RememberJoined(ulong eventIdHash, long joinedAtUnixMs)
    {
        if (_maxOrphans > 0)
        {
            _recentlyJoined.Add(eventIdHash, joinedAtUnixMs, _maxOrphans);
        }
    }
}
