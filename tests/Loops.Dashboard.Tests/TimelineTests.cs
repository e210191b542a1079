using Loops.Constraints;
using Loops.Contracts.V1;
using Loops.Service.Observability.Timeline;

namespace Loops.Dashboard.Tests;

public sealed class TimelineTests
{
    private const long T0 = 1_764_633_600_000; // 2025-12-02 00:00:00 UTC, a whole hour.

    [Theory]
    [InlineData(0, 60_000, 0)]
    [InlineData(59_999, 60_000, 0)]
    [InlineData(60_000, 60_000, 60_000)]
    [InlineData(-1, 60_000, -60_000)]
    public void Buckets_start_at_the_floor_of_their_width(long time, long width, long start) =>
        Assert.Equal(start, BucketSeries.StartOf(time, width));

    [Fact]
    public void A_full_series_drops_its_oldest_bucket_and_ignores_older_decisions()
    {
        var series = new BucketSeries(BucketWidth.Minute, capacity: 2);
        series.For(T0)!.Add(false, 1, 0, "a");
        series.For(T0 + BucketWidth.Minute)!.Add(false, 1, 0, "a");
        series.For(T0 + (2 * BucketWidth.Minute))!.Add(false, 1, 0, "a");

        Assert.Equal(2, series.Count);
        Assert.Equal(T0 + BucketWidth.Minute, series.CompleteFromUnixMs);
        Assert.Null(series.For(T0));
        Assert.Equal([T0 + BucketWidth.Minute, T0 + (2 * BucketWidth.Minute)], series.Aggregate(BucketWidth.Minute, 0).Select(b => b.StartUnixMs));
    }

    [Fact]
    public void Fine_buckets_add_up_into_coarse_ones_from_the_start_asked_for()
    {
        var series = new BucketSeries(BucketWidth.Minute, 100);
        for (var minute = 0; minute < 10; minute++)
        {
            series.For(T0 + (minute * BucketWidth.Minute))!.Add(minute % 2 == 0, minute, 1, minute < 5 ? "a" : "b");
        }

        var buckets = series.Aggregate(5 * BucketWidth.Minute, T0 + (5 * BucketWidth.Minute));

        var bucket = Assert.Single(buckets);
        Assert.Equal(T0 + (5 * BucketWidth.Minute), bucket.StartUnixMs);
        Assert.Equal(5, bucket.Decisions);
        Assert.Equal(new Dictionary<string, long> { ["b"] = 5 }, bucket.ActionCounts);
    }

    [Theory]
    [InlineData(0, 1_000)]
    [InlineData(59_000, 1_000)]
    [InlineData(60_000, 5_000)]
    [InlineData(3_600_000, 60_000 * 5)]
    [InlineData(86_400_000, 1_800_000)]
    [InlineData(90L * 86_400_000, 7L * 86_400_000)]
    public void An_automatic_width_gives_at_most_sixty_buckets(long span, long width)
    {
        Assert.Equal(width, BucketWidth.Auto(span));
        Assert.True(span / width < BucketWidth.TargetBuckets);
    }

    [Theory]
    [InlineData(7_200_000, 3_600_000)]
    [InlineData(300_000, 60_000)]
    [InlineData(10_000, 1_000)]
    public void A_width_is_added_up_from_the_coarsest_series_that_divides_it(long width, long series) =>
        Assert.Equal(series, BucketWidth.SeriesFor(width));

    [Fact]
    public void Merged_group_statistics_equal_the_reports_of_all_decisions_at_once()
    {
        var random = new Random(3);
        var rewards = Enumerable.Range(0, 500).Select(_ => (Reward: random.NextDouble() * 100, Cost: random.Next(3) * 5.0)).ToArray();
        var all = new GroupTally();
        var left = new GroupTally();
        var right = new GroupTally();
        for (var i = 0; i < rewards.Length; i++)
        {
            all.Add(rewards[i].Reward, rewards[i].Cost);
            (i < 200 ? left : right).Add(rewards[i].Reward, rewards[i].Cost);
        }

        left.Merge(right);
        var expected = all.ToReport();
        var merged = left.ToReport();

        Assert.Equal(expected.Decisions, merged.Decisions);
        Assert.Equal(expected.RewardMean, merged.RewardMean, 9);
        Assert.Equal(expected.RewardVariance, merged.RewardVariance, 6);
        Assert.Equal(expected.NetValueVariance, merged.NetValueVariance, 6);
        Assert.Equal(expected.Spend, merged.Spend, 9);
    }

    [Fact]
    public void A_timeline_bucket_reports_what_the_policy_report_would_for_its_decisions()
    {
        var tally = new PolicyTimelineTally();
        var builder = new PolicyReportBuilder("p");
        var random = new Random(5);
        for (var i = 0; i < 400; i++)
        {
            var joined = Joined(T0 + (i * 10), control: i % 4 == 0, action: i % 3 == 0 ? "match" : "none", reward: random.NextDouble() * 50, segment: i % 2 == 0 ? "casual" : "vip");
            tally.Add(joined);
            builder.Add(joined);
        }

        var timeline = tally.Build(new GetPolicyTimelineRequest { Policy = "p", BucketSeconds = 3600 }, T0 + 10_000);
        var report = builder.Build();

        var bucket = Assert.Single(timeline.Buckets);
        Assert.Equal(report.Treatment.Decisions, bucket.Treatment.Decisions);
        Assert.Equal(report.Control.NetValueMean, bucket.Control.NetValueMean, 9);
        Assert.Equal(report.NetValueUplift.Lower, bucket.NetValueUplift.Lower, 6);
        Assert.Equal(report.RewardUplift.Upper, bucket.RewardUplift.Upper, 6);
        Assert.Equal(134, bucket.ActionCounts["match"]);
        Assert.Equal(400, timeline.DecisionsLastHour);
        Assert.Equal("player.segment", timeline.SegmentFeature);
        Assert.Equal(["casual", "vip"], timeline.Segments.Select(s => s.Segment).Order());
        Assert.Equal(134 * 10.0, tally.SpendSince(T0));
    }

    [Fact]
    public void Segments_beyond_the_limit_are_counted_together()
    {
        var mix = new SegmentMix();
        for (var i = 0; i < SegmentMix.MaxSegments + 10; i++)
        {
            mix.Add([new Feature { Namespace = "player", Name = "persona", Category = "p" + i }], "a");
        }

        var segments = mix.For(mix.Resolve(string.Empty)!).ToList();
        Assert.Equal(SegmentMix.MaxSegments + 1, segments.Count);
        Assert.Equal(10, segments.Single(s => s.Segment == SegmentMix.Other).Decisions);
        Assert.Equal("player.persona", mix.Resolve("persona"));
        Assert.Null(mix.Resolve("country"));
    }

    internal static JoinedEvent Joined(long time, bool control, string action, double reward, string segment)
    {
        var decision = new DecisionEvent { Policy = "p", TimestampUnixMs = time, Control = control, ChosenIndex = 0 };
        decision.Actions.Add(new Contracts.V1.Action { Id = action, Cost = action == "match" ? 10 : 0 });
        decision.Context.Add(new Feature { Namespace = "player", Name = "segment", Category = segment });
        return new JoinedEvent { Decision = decision, Reward = reward };
    }
}
