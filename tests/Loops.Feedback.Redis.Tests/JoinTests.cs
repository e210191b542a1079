using Loops.Contracts.V1;

namespace Loops.Feedback.Redis.Tests;

public sealed class JoinTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_decision_is_joined_with_the_sum_of_its_rewards_and_an_unrewarded_one_with_its_default()
    {
        await using var harness = new StoreHarness(redis.Server);
        var store = await harness.OpenAsync();
        await store.RecordDecisionAsync(harness.Decision("rewarded", TimeSpan.FromSeconds(10)), CancellationToken.None);
        await store.RecordDecisionAsync(harness.Decision("silent", TimeSpan.FromSeconds(10), defaultReward: -1), CancellationToken.None);
        Assert.True(await store.RecordRewardAsync(harness.Reward("rewarded", 2.5), CancellationToken.None));
        Assert.True(await store.RecordRewardAsync(harness.Reward("rewarded", 1.5), CancellationToken.None));
        Assert.False(await store.RecordRewardAsync(harness.Reward("unknown", 1), CancellationToken.None));

        // Both rewards must be applied before the window closes, or they would be late.
        await harness.WaitUntilAsync(async db => (long)await db.HashGetAsync($"{harness.Prefix}:ev:rewarded", "c") == 2);
        harness.Clock.Advance(TimeSpan.FromSeconds(11));

        var joined = (await StoreHarness.ReadJoinedAsync(store, 2)).ToDictionary(r => r.Event.Decision.EventId);
        Assert.Equal(4.0, joined["rewarded"].Event.Reward);
        Assert.Equal(2, joined["rewarded"].Event.RewardCount);
        Assert.False(joined["rewarded"].Event.IsDefaultReward);
        Assert.Equal(-1.0, joined["silent"].Event.Reward);
        Assert.True(joined["silent"].Event.IsDefaultReward);
        Assert.Equal([1L, 2L], joined.Values.Select(r => r.Sequence).Order());
    }

    [Fact]
    public async Task First_and_last_aggregations_take_the_reward_received_first_or_last()
    {
        await using var harness = new StoreHarness(redis.Server);
        var store = await harness.OpenAsync();
        foreach (var (id, aggregation) in new[] { ("first", RewardAggregation.First), ("last", RewardAggregation.Last) })
        {
            var decision = harness.Decision(id, TimeSpan.FromSeconds(10));
            decision.RewardAggregation = aggregation;
            await store.RecordDecisionAsync(decision, CancellationToken.None);
            foreach (var value in new[] { 1.0, 5.0, 2.0 })
            {
                Assert.True(await store.RecordRewardAsync(harness.Reward(id, value), CancellationToken.None));
            }
        }

        await harness.WaitUntilAsync(async db =>
            (long)await db.HashGetAsync($"{harness.Prefix}:ev:first", "c") == 3 && (long)await db.HashGetAsync($"{harness.Prefix}:ev:last", "c") == 3);
        harness.Clock.Advance(TimeSpan.FromSeconds(11));

        var joined = (await StoreHarness.ReadJoinedAsync(store, 2)).ToDictionary(r => r.Event.Decision.EventId);
        Assert.Equal(1.0, joined["first"].Event.Reward);
        Assert.Equal(2.0, joined["last"].Event.Reward);
        Assert.Equal(3, joined["last"].Event.RewardCount);
    }

    [Fact]
    public async Task A_reward_after_the_window_is_not_counted()
    {
        await using var harness = new StoreHarness(redis.Server);
        var store = await harness.OpenAsync();
        await store.RecordDecisionAsync(harness.Decision("e", TimeSpan.FromSeconds(10), defaultReward: 7), CancellationToken.None);
        await harness.WaitUntilAsync(async db => await db.SortedSetLengthAsync($"{harness.Prefix}:due:{new RedisKeys(harness.Prefix, 2).PartitionOf("e")}") == 1);

        // Stamped after the deadline but applied before the joiner sees the clock move: the stamp decides.
        harness.Clock.Advance(TimeSpan.FromSeconds(10));
        await store.RecordRewardAsync(harness.Reward("e", 100), CancellationToken.None);
        var joined = await StoreHarness.ReadJoinedAsync(store, 1);
        Assert.Equal(7.0, joined[0].Event.Reward);
        Assert.True(joined[0].Event.IsDefaultReward);
    }

    [Fact]
    public async Task Readers_resume_after_a_sequence()
    {
        await using var harness = new StoreHarness(redis.Server);
        var store = await harness.OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.RecordDecisionAsync(harness.Decision($"e{i}", TimeSpan.FromSeconds(1)), CancellationToken.None);
        }

        harness.Clock.Advance(TimeSpan.FromSeconds(2));
        var all = await StoreHarness.ReadJoinedAsync(store, 5);
        var rest = await StoreHarness.ReadJoinedAsync(store, 2, after: 3);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], all.Select(r => r.Sequence));
        Assert.Equal([4L, 5L], rest.Select(r => r.Sequence));
        Assert.Equal(all[3].Event.Decision.EventId, rest[0].Event.Decision.EventId);
    }
}
