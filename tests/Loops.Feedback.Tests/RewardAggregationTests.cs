using Loops.Contracts.V1;

namespace Loops.Feedback.Tests;

public sealed class RewardAggregationTests : IDisposable
{
    private readonly StoreHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData(RewardAggregation.Sum, 8.0)]
    [InlineData(RewardAggregation.First, 1.0)]
    [InlineData(RewardAggregation.Last, 2.0)]
    public async Task The_decision_s_aggregation_makes_the_joined_reward_from_the_rewards_in_the_order_received(
        RewardAggregation aggregation, double expected)
    {
        await using var store = await _harness.OpenAsync();
        var decision = _harness.Decision("e", windowMs: 1_000);
        decision.RewardAggregation = aggregation;
        await store.RecordDecisionAsync(decision, CancellationToken.None);
        foreach (var value in new[] { 1.0, 5.0, 2.0 })
        {
            Assert.True(await store.RecordRewardAsync(_harness.Reward("e", value), CancellationToken.None));
        }

        _harness.Time.Advance(TimeSpan.FromSeconds(1));

        var joined = Assert.Single(await store.TakeAsync(0, 1));
        Assert.Equal(expected, joined.Event.Reward);
        Assert.Equal(3, joined.Event.RewardCount);
    }

    [Fact]
    public async Task Rewards_received_before_their_decision_come_first()
    {
        await using var store = await _harness.OpenAsync();
        Assert.False(await store.RecordRewardAsync(_harness.Reward("early", 3), CancellationToken.None));
        var decision = _harness.Decision("early", windowMs: 1_000);
        decision.RewardAggregation = RewardAggregation.First;
        await store.RecordDecisionAsync(decision, CancellationToken.None);
        Assert.True(await store.RecordRewardAsync(_harness.Reward("early", 4), CancellationToken.None));
        _harness.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(3.0, Assert.Single(await store.TakeAsync(0, 1)).Event.Reward);
    }

    [Fact]
    public void A_checkpoint_keeps_the_first_and_last_reward_of_pending_decisions_and_orphans()
    {
        var state = new FeedbackState(TimeSpan.FromMinutes(10), maxOrphans: 100);
        var decision = _harness.Decision("pending", windowMs: 1_000);
        decision.RewardAggregation = RewardAggregation.Last;
        state.ApplyDecision(decision);
        state.ApplyReward(_harness.Reward("pending", 1), _harness.NowUnixMs);
        state.ApplyReward(_harness.Reward("pending", 6), _harness.NowUnixMs);
        state.ApplyReward(_harness.Reward("orphan", 2), _harness.NowUnixMs);
        state.ApplyReward(_harness.Reward("orphan", 9), _harness.NowUnixMs);

        var restored = new FeedbackState(TimeSpan.FromMinutes(10), maxOrphans: 100);
        StoreHarness.Restore(state.TakeSnapshot(new Lock()), restored);

        var orphan = _harness.Decision("orphan", windowMs: 1_000);
        orphan.RewardAggregation = RewardAggregation.First;
        restored.ApplyDecision(orphan);
        var due = new List<DueJoin>();
        restored.TakeDue(_harness.NowUnixMs + 1_000, 10, due);
        var byId = due.ToDictionary(d => d.Key);
        Assert.Equal(new RewardTally(7, 2, 1, 6), byId[EventKey.Of("pending")].Rewards);
        Assert.Equal(6.0, byId[EventKey.Of("pending")].Rewards.Value(RewardAggregation.Last));
        Assert.Equal(2.0, byId[EventKey.Of("orphan")].Rewards.Value(RewardAggregation.First));
        Assert.Equal(11.0, byId[EventKey.Of("orphan")].Rewards.Value(RewardAggregation.Sum));
    }
}
