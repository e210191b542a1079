namespace Loops.Feedback.Redis;

/// <summary>This process's counters, and the gauges last read from Redis, as <see cref="FeedbackStats"/>.</summary>
internal sealed class RedisFeedbackCounters
{
    private long _decisions;
    private long _duplicateDecisions;
    private long _rewards;
    private long _orphanRewards;
    private long _lateRewards;
    private long _joined;
    private long _defaulted;
    private long _pending;
    private long _lastSequence;

    public void Decision(bool duplicate) => Interlocked.Increment(ref duplicate ? ref _duplicateDecisions : ref _decisions);

    public void Rewards(int count, int found)
    {
        Interlocked.Add(ref _rewards, count);
        Interlocked.Add(ref _orphanRewards, count - found);
    }

    public void Applied(long decisions, long counted, long skipped) => Interlocked.Add(ref _lateRewards, skipped);

    public void JoinedBatch(long joined, long defaulted, long lastSequence)
    {
        Interlocked.Add(ref _joined, joined);
        Interlocked.Add(ref _defaulted, defaulted);
        RaiseSequence(lastSequence);
    }

    public void Gauges(long pending, long lastSequence)
    {
        Interlocked.Exchange(ref _pending, pending);
        RaiseSequence(lastSequence);
    }

    public FeedbackStats Snapshot() => new()
    {
        Decisions = Interlocked.Read(ref _decisions),
        DuplicateDecisions = Interlocked.Read(ref _duplicateDecisions),
        Rewards = Interlocked.Read(ref _rewards),
        OrphanRewards = Interlocked.Read(ref _orphanRewards),
        LateRewards = Interlocked.Read(ref _lateRewards),
        Joined = Interlocked.Read(ref _joined),
        DefaultRewarded = Interlocked.Read(ref _defaulted),
        PendingJoins = Interlocked.Read(ref _pending),
        LastJoinedSequence = Interlocked.Read(ref _lastSequence),
    };

    private void RaiseSequence(long sequence)
    {
        var current = Interlocked.Read(ref _lastSequence);
        while (sequence > current)
        {
            var seen = Interlocked.CompareExchange(ref _lastSequence, sequence, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
