using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>
/// The in-memory join state: pending decisions, their deadlines, orphan rewards and recently joined ids.
/// Pure and single-threaded (the store calls it under its lock); the same methods apply live events and replay the
/// journal, which is what keeps the recovered state identical to the one that was lost.
/// </summary>
internal sealed class FeedbackState
{
    private readonly PendingMap _pending = new();
    private readonly PriorityQueue<string, long> _deadlines = new();
    private readonly Dictionary<string, OrphanReward> _orphans = new(StringComparer.Ordinal);
    private readonly Queue<(string EventId, long ReceivedAtUnixMs)> _orphanArrivals = new();
    private readonly HashSet<ulong> _recentlyJoined = [];
    private readonly Queue<RecentlyJoined> _recentlyJoinedOrder = new();
    private readonly PendingBytes _bytes = new();
    private readonly long _orphanTtlMs;
    private readonly int _maxOrphans;
    private readonly int _maxResponses;
    private int _responses;

    /// <param name="orphanTtl">How long rewards of an unknown event id are kept.</param>
    /// <param name="maxOrphans">The most event ids with orphan rewards (and recently joined ids) kept.</param>
    /// <param name="maxResponses">The most pending decisions whose response is remembered for retries.</param>
    public FeedbackState(TimeSpan orphanTtl, int maxOrphans, int maxResponses = 0)
    {
        _orphanTtlMs = (long)orphanTtl.TotalMilliseconds;
        _maxOrphans = maxOrphans;
        _maxResponses = maxResponses;
    }

    public int PendingCount => _pending.Count;

    /// <summary>The slabs holding pending decisions, for tests.</summary>
    internal int SlabCount => _bytes.SlabCount;

    /// <summary>The encoded decision of a pending event, or null.</summary>
    public byte[]? FindPending(string eventId) =>
        _pending.TryGetValue(eventId, out var pending) ? _bytes.First(pending.Bytes).ToArray() : null;

    /// <summary>
    /// The encoded response remembered for a pending event whose window is still open (answering a retried decision), or null.
    /// </summary>
    public byte[]? FindResponse(string eventId, long nowUnixMs) =>
        _pending.TryGetValue(eventId, out var pending) && pending.Bytes.SecondLength > 0 && pending.DeadlineUnixMs > nowUnixMs
            ? _bytes.Second(pending.Bytes).ToArray()
            : null;

    /// <summary>Whether the event id is pending or was joined recently: a decision with it is a duplicate.</summary>
    public bool IsKnown(string eventId) => _pending.ContainsKey(eventId) || _recentlyJoined.Contains(Hash(eventId));

    public int OrphanCount => _orphans.Count;

    /// <summary>The highest sequence whose joined marker has been applied.</summary>
    public long LastJoinedSequence { get; set; }

    /// <summary>The earliest deadline queued, or <see cref="long.MaxValue"/>.</summary>
    public long NextDeadline => _deadlines.TryPeek(out _, out var deadline) ? deadline : long.MaxValue;

    /// <summary>Adds a decision (with any orphan rewards already received for it); false for a duplicate id.</summary>
    public bool ApplyDecision(DecisionEvent decision) =>
        ApplyDecision(decision, decision.ToByteArray(), default);

    /// <summary>
    /// Adds a decision with its protobuf bytes and the encoded response to answer its retries with (empty for none);
    /// false for a duplicate id.
    /// </summary>
    public bool ApplyDecision(DecisionEvent decision, ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> response)
    {
        var eventId = decision.EventId;
        var deadlineUnixMs = decision.JoinDeadlineUnixMs;
        if (_recentlyJoined.Contains(Hash(eventId)))
        {
            return false;
        }

        ref var pending = ref _pending.GetValueRefOrAddDefault(eventId, out var exists);
        if (exists)
        {
            return false;
        }

        if (!response.IsEmpty && _responses < _maxResponses)
        {
            _responses++;
        }
        else
        {
            response = default;
        }

        pending.Bytes = _bytes.Append(LaneOf(decision), encoded, response);
        pending.DeadlineUnixMs = deadlineUnixMs;
        pending.Aggregation = decision.RewardAggregation;
        pending.DefaultReward = decision.DefaultReward;
        if (_orphans.Remove(eventId, out var orphan))
        {
            pending.Rewards = orphan.Rewards;
        }

        _deadlines.Enqueue(eventId, deadlineUnixMs);
        return true;
    }

    public RewardOutcome ApplyReward(RewardEvent reward, long receivedAtUnixMs)
    {
        var eventId = reward.EventId;
        ref var pending = ref _pending.GetValueRefOrNullRef(eventId);
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

        AddOrphan(eventId, default(RewardTally).Add(reward.Value), receivedAtUnixMs);
        return RewardOutcome.Orphan;
    }

    /// <summary>Marks up to <paramref name="max"/> decisions whose deadline is at or before now as joining.</summary>
    public void TakeDue(long nowUnixMs, int max, List<DueJoin> due)
    {
        while (due.Count < max && _deadlines.TryPeek(out var eventId, out var deadline) && deadline <= nowUnixMs)
        {
            _deadlines.Dequeue();
            ref var pending = ref _pending.GetValueRefOrNullRef(eventId);
            if (Unsafe.IsNullRef(ref pending) || pending.Joining || pending.DeadlineUnixMs != deadline)
            {
                continue;
            }

            pending.Joining = true;
            due.Add(new DueJoin(
                eventId, _bytes.First(pending.Bytes).ToArray(), deadline, pending.Aggregation, pending.DefaultReward, pending.Rewards));
        }
    }

    /// <summary>Puts decisions back in the queue after their joined events could not be written.</summary>
    public void AbortJoins(List<DueJoin> due)
    {
        foreach (var join in due)
        {
            ref var pending = ref _pending.GetValueRefOrNullRef(join.EventId);
            if (!Unsafe.IsNullRef(ref pending))
            {
                pending.Joining = false;
                _deadlines.Enqueue(join.EventId, join.DeadlineUnixMs);
            }
        }
    }

    /// <summary>Removes a joined decision and remembers its id so later rewards count as late.</summary>
    public void CompleteJoin(string eventId, long sequence, long joinedAtUnixMs)
    {
        if (_pending.Remove(eventId, out var pending))
        {
            _responses -= pending.Bytes.SecondLength > 0 ? 1 : 0;
            _bytes.Release(pending.Bytes);
        }

        RememberJoined(Hash(eventId), joinedAtUnixMs);
        LastJoinedSequence = Math.Max(LastJoinedSequence, sequence);
    }

    /// <summary>Drops orphans and recently joined ids older than the orphan TTL; returns how many orphans expired.</summary>
    public int ExpireStale(long nowUnixMs)
    {
        var expired = 0;
        var cutoff = nowUnixMs - _orphanTtlMs;
        while (_orphanArrivals.TryPeek(out var arrival) && arrival.ReceivedAtUnixMs <= cutoff)
        {
            _orphanArrivals.Dequeue();
            if (RemoveOrphanArrival(arrival))
            {
                expired++;
            }
        }

        while (_recentlyJoinedOrder.TryPeek(out var joined) && joined.JoinedAtUnixMs <= cutoff)
        {
            _recentlyJoinedOrder.Dequeue();
            _recentlyJoined.Remove(joined.EventIdHash);
        }

        return expired;
    }

    public void RestorePending(DecisionEvent decision, RewardTally rewards)
    {
        if (ApplyDecision(decision))
        {
            ref var pending = ref _pending.GetValueRefOrNullRef(decision.EventId);
            pending.Rewards = rewards.Then(pending.Rewards);
        }
    }

    public void RestoreOrphan(string eventId, OrphanReward orphan) =>
        AddOrphan(eventId, orphan.Rewards, orphan.FirstReceivedAtUnixMs);

    public void RestoreRecentlyJoined(RecentlyJoined joined) => RememberJoined(joined.EventIdHash, joined.JoinedAtUnixMs);

    /// <summary>
    /// Copies the state (slices, not bytes) for a checkpoint; the slices stay readable until
    /// <see cref="EndSnapshot"/>, which must be called under the same lock.
    /// </summary>
    public FeedbackSnapshot TakeSnapshot()
    {
        var pending = _pending.ToArray();
        _bytes.BeginSnapshot();
        return new FeedbackSnapshot(LastJoinedSequence, pending, [.. _orphans], [.. _recentlyJoinedOrder], _bytes);
    }

    /// <summary>Lets the slabs a snapshot read be reused.</summary>
    public void EndSnapshot() => _bytes.EndSnapshot();

    /// <summary>The lane of a decision: its reward window, so that decisions in one slab are joined about together.</summary>
    private static long LaneOf(DecisionEvent decision) => decision.JoinDeadlineUnixMs - decision.TimestampUnixMs;

    private static ulong Hash(string eventId) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(eventId.AsSpan()));

    private void AddOrphan(string eventId, RewardTally rewards, long receivedAtUnixMs)
    {
        if (_maxOrphans == 0)
        {
            return;
        }

        ref var orphan = ref CollectionsMarshal.GetValueRefOrAddDefault(_orphans, eventId, out var exists);
        if (exists)
        {
            orphan = orphan with { Rewards = orphan.Rewards.Then(rewards) };
            return;
        }

        orphan = new OrphanReward(receivedAtUnixMs, rewards);
        _orphanArrivals.Enqueue((eventId, receivedAtUnixMs));
        while (_orphans.Count > _maxOrphans && _orphanArrivals.TryDequeue(out var oldest))
        {
            RemoveOrphanArrival(oldest);
        }
    }

    // An arrival entry is stale when its orphan was since consumed by a decision (and maybe re-created later).
    private bool RemoveOrphanArrival((string EventId, long ReceivedAtUnixMs) arrival) =>
        _orphans.TryGetValue(arrival.EventId, out var orphan)
        && orphan.FirstReceivedAtUnixMs == arrival.ReceivedAtUnixMs
        && _orphans.Remove(arrival.EventId);

    private void RememberJoined(ulong eventIdHash, long joinedAtUnixMs)
    {
        if (_maxOrphans == 0 || !_recentlyJoined.Add(eventIdHash))
        {
            return;
        }

        _recentlyJoinedOrder.Enqueue(new RecentlyJoined(eventIdHash, joinedAtUnixMs));
        while (_recentlyJoinedOrder.Count > _maxOrphans && _recentlyJoinedOrder.TryDequeue(out var oldest))
        {
            _recentlyJoined.Remove(oldest.EventIdHash);
        }
    }
}
