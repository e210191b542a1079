using Loops.Contracts.V1;

namespace Loops.Service.Observability.Timeline;

/// <summary>
/// One policy's joined decisions over time, by decision time: second buckets for the last hour, minute buckets for
/// the last day and hour buckets for 90 days (each series capped at that many buckets), and the action mix per
/// segment since the start. Not thread-safe: <see cref="PolicyReportTally"/> serialises access.
/// </summary>
internal sealed class PolicyTimelineTally
{
    /// <summary>Distinct action ids followed; more are counted under <see cref="SegmentMix.Other"/>.</summary>
    public const int MaxActions = 64;

    private readonly BucketSeries _seconds = new(BucketWidth.Second, 3_600);
    private readonly BucketSeries _minutes = new(BucketWidth.Minute, 24 * 60);
    private readonly BucketSeries _hours = new(BucketWidth.Hour, 90 * 24);
    private readonly SegmentMix _segments = new();
    private readonly HashSet<string> _actions = new(StringComparer.Ordinal);
    private long _first = long.MaxValue;
    private long _last = long.MinValue;

    public void Add(JoinedEvent joined)
    {
        var decision = joined.Decision;
        var chosen = decision.ChosenIndex;
        var inRange = chosen >= 0 && chosen < decision.Actions.Count;
        var cost = inRange ? decision.Actions[chosen].Cost : 0;
        var action = inRange ? decision.Actions[chosen].Id : SegmentMix.Other;
        if (!_actions.Contains(action))
        {
            if (_actions.Count >= MaxActions)
            {
                action = SegmentMix.Other;
            }
            else
            {
                _actions.Add(action);
            }
        }

        var time = decision.TimestampUnixMs;
        _first = Math.Min(_first, time);
        _last = Math.Max(_last, time);
        foreach (var series in (ReadOnlySpan<BucketSeries>)[_seconds, _minutes, _hours])
        {
            series.For(time)?.Add(decision.Control, joined.Reward, cost, action);
        }

        _segments.Add(decision.Context, action);
    }

    /// <summary>The timeline asked for (without alerts), and the joined decisions made in the hour before <paramref name="nowUnixMs"/>.</summary>
    public PolicyTimeline Build(GetPolicyTimelineRequest request, long nowUnixMs)
    {
        var width = request.BucketSeconds > 0
            ? request.BucketSeconds * BucketWidth.Second
            : BucketWidth.Auto(_last >= _first ? _last - Math.Max(_first, request.SinceUnixMs) : 0);
        var timeline = new PolicyTimeline { Policy = request.Policy, BucketSeconds = width / BucketWidth.Second };
        foreach (var bucket in Series(BucketWidth.SeriesFor(width)).Aggregate(width, request.SinceUnixMs))
        {
            var treatment = bucket.Treatment.ToReport();
            var control = bucket.Control.ToReport();
            var entry = new TimelineBucket
            {
                StartUnixMs = bucket.StartUnixMs,
                Treatment = treatment,
                Control = control,
                RewardUplift = UpliftMath.Reward(treatment, control),
                NetValueUplift = UpliftMath.NetValue(treatment, control),
            };
            entry.ActionCounts.Add(bucket.ActionCounts);
            timeline.Buckets.Add(entry);
        }

        timeline.SegmentFeatures.Add(_segments.Features);
        if (_segments.Resolve(request.SegmentFeature) is { } feature)
        {
            timeline.SegmentFeature = feature;
            timeline.Segments.Add(_segments.For(feature));
        }

        timeline.DecisionsLastHour = _seconds.Aggregate(BucketWidth.Second, nowUnixMs - BucketWidth.Hour).Sum(bucket => bucket.Decisions);
        return timeline;
    }

    /// <summary>The spend of the joined decisions made at or after <paramref name="sinceUnixMs"/>, from the finest series that still covers it.</summary>
    public double SpendSince(long sinceUnixMs)
    {
        var series = _seconds.CompleteFromUnixMs <= sinceUnixMs ? _seconds : _minutes.CompleteFromUnixMs <= sinceUnixMs ? _minutes : _hours;
        return series.Aggregate(series.WidthMs, sinceUnixMs).Sum(bucket => bucket.Treatment.Spend + bucket.Control.Spend);
    }

    private BucketSeries Series(long widthMs) => widthMs switch
    {
        BucketWidth.Hour => _hours,
        BucketWidth.Minute => _minutes,
        _ => _seconds,
    };
}
