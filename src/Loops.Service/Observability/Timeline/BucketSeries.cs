namespace Loops.Service.Observability.Timeline;

/// <summary>
/// Time buckets of one width, aligned to the Unix epoch, of which at most <c>capacity</c> are kept: when a new bucket
/// would exceed it, the oldest is dropped, and decisions older than every kept bucket of a full series are ignored.
/// Only buckets with decisions exist, so an idle policy costs nothing.
/// </summary>
internal sealed class BucketSeries(long widthMs, int capacity)
{
    private readonly SortedDictionary<long, TimeBucket> _buckets = [];

    public long WidthMs { get; } = widthMs;

    public int Count => _buckets.Count;

    /// <summary>From when on the series has every decision it was given: after the last bucket it dropped.</summary>
    public long CompleteFromUnixMs { get; private set; } = long.MinValue;

    /// <summary>The bucket a decision made at <paramref name="timestampUnixMs"/> belongs to, or null when it is too old to keep.</summary>
    public TimeBucket? For(long timestampUnixMs)
    {
        var start = StartOf(timestampUnixMs, WidthMs);
        if (_buckets.TryGetValue(start, out var bucket))
        {
            return bucket;
        }

        if (_buckets.Count >= capacity)
        {
            var oldest = _buckets.Keys.First();
            if (start < oldest)
            {
                return null;
            }

            _buckets.Remove(oldest);
            CompleteFromUnixMs = oldest + WidthMs;
        }

        bucket = new TimeBucket(start);
        _buckets.Add(start, bucket);
        return bucket;
    }

    /// <summary>The kept buckets starting at or after <paramref name="sinceUnixMs"/>, added up into buckets <paramref name="widthMs"/> wide (a multiple of this series' width), oldest first.</summary>
    public IReadOnlyList<TimeBucket> Aggregate(long widthMs, long sinceUnixMs)
    {
        var result = new List<TimeBucket>();
        foreach (var (start, bucket) in _buckets)
        {
            var target = StartOf(start, widthMs);
            if (target < StartOf(sinceUnixMs, widthMs))
            {
                continue;
            }

            if (result.Count == 0 || result[^1].StartUnixMs != target)
            {
                result.Add(new TimeBucket(target));
            }

            result[^1].Merge(bucket);
        }

        return result;
    }

    /// <summary>The start of the bucket <paramref name="widthMs"/> wide that contains the time (floored, also before 1970).</summary>
    public static long StartOf(long unixMs, long widthMs) => Math.DivRem(unixMs, widthMs, out var rest) * widthMs - (rest < 0 ? widthMs : 0);
}
