using Loops.Contracts.V1;

namespace Loops.Feedback.Redis.Tests;

/// <summary>Rewards packed in batch entries (<c>k=rb</c>), alone and mixed with the single-reward entries of older versions.</summary>
public sealed class BatchEntryTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_batch_counts_each_reward_once_and_tells_how_many_found_their_decision()
    {
        await using var harness = new StoreHarness(redis.Server);
        var store = await harness.OpenAsync();
        await store.RecordDecisionAsync(harness.Decision("a", TimeSpan.FromSeconds(10)), CancellationToken.None);
        await store.RecordDecisionAsync(harness.Decision("b", TimeSpan.FromSeconds(10)), CancellationToken.None);

        var found = await store.RecordRewardsAsync(
            [
                harness.Reward("a", 1, "r1"), harness.Reward("b", 2), harness.Reward("unknown", 3),
                harness.Reward("a", 4, "r1"), harness.Reward("a", 0.5),
            ],
            CancellationToken.None);

        Assert.Equal(4, found);
        await harness.WaitUntilAsync(async db => (long)await db.HashGetAsync($"{harness.Prefix}:ev:a", "c") == 2);
        harness.Clock.Advance(TimeSpan.FromSeconds(11));
        var joined = (await StoreHarness.ReadJoinedAsync(store, 2)).ToDictionary(r => r.Event.Decision.EventId);
        Assert.Equal(1.5, joined["a"].Event.Reward);
        Assert.Equal(2, joined["a"].Event.RewardCount);
        Assert.Equal(2.0, joined["b"].Event.Reward);
        Assert.Equal(5, store.GetStats().Rewards);
    }

    [Fact]
    public async Task Sums_are_exact_doubles_as_the_caller_would_add_them()
    {
        await using var harness = new StoreHarness(redis.Server);
        var store = await harness.OpenAsync();
        await store.RecordDecisionAsync(harness.Decision("e", TimeSpan.FromSeconds(10)), CancellationToken.None);
        double[] values = [0.1, 0.2, 1e-17, 123456789.123456789, -0.3];
        await store.RecordRewardsAsync(values.Select(v => harness.Reward("e", v)).ToList(), CancellationToken.None);

        await harness.WaitUntilAsync(async db => (long)await db.HashGetAsync($"{harness.Prefix}:ev:e", "c") == values.Length);
        harness.Clock.Advance(TimeSpan.FromSeconds(11));
        var joined = await StoreHarness.ReadJoinedAsync(store, 1);
        Assert.Equal(values.Aggregate(0.0, (sum, v) => sum + v), joined[0].Event.Reward);
    }

    [Fact]
    public async Task A_batch_written_twice_or_claimed_from_a_dead_joiner_counts_once()
    {
        await using var harness = new StoreHarness(redis.Server);
        var entries = new IngestEntries(harness);
        await entries.CreateGroupsAsync();
        await entries.DecisionAsync(harness.Decision("e", TimeSpan.FromSeconds(10)));
        RewardEvent[] batch = [harness.Reward("e", 3, "r1"), harness.Reward("e", 4, "r2")];

        // A replay after a lost answer writes the same rewards again; a dead joiner read both entries.
        await entries.BatchAsync(batch);
        await entries.BatchAsync(batch);
        await entries.ReadAsDeadJoinerAsync("e");

        var store = await harness.OpenAsync();
        await entries.WaitAppliedAsync("e");
        harness.Clock.Advance(TimeSpan.FromSeconds(11));
        var joined = await StoreHarness.ReadJoinedAsync(store, 1);
        Assert.Equal(7.0, joined[0].Event.Reward);
        Assert.Equal(2, joined[0].Event.RewardCount);
    }

    [Fact]
    public async Task Single_reward_entries_of_older_versions_and_batches_mix_with_first_and_last_in_arrival_order()
    {
        await using var harness = new StoreHarness(redis.Server);
        var entries = new IngestEntries(harness);
        await entries.CreateGroupsAsync();
        foreach (var (id, aggregation) in new[] { ("first", RewardAggregation.First), ("last", RewardAggregation.Last), ("sum", RewardAggregation.Sum) })
        {
            var decision = harness.Decision(id, TimeSpan.FromSeconds(10));
            decision.RewardAggregation = aggregation;
            await entries.DecisionAsync(decision);
            await entries.SingleRewardAsync(harness.Reward(id, 1.5, "r1"));
            await entries.BatchAsync(harness.Reward(id, 9, "r1"), harness.Reward(id, 2, "r2"));
            await entries.SingleRewardAsync(harness.Reward(id, 0.25, "r3"));
            await entries.BatchAsync(harness.Reward(id, 0.75, "r4"));
        }

        var store = await harness.OpenAsync();
        foreach (var id in new[] { "first", "last", "sum" })
        {
            await entries.WaitAppliedAsync(id);
        }

        harness.Clock.Advance(TimeSpan.FromSeconds(11));
        var joined = (await StoreHarness.ReadJoinedAsync(store, 3)).ToDictionary(r => r.Event.Decision.EventId);
        Assert.Equal(1.5, joined["first"].Event.Reward);
        Assert.Equal(0.75, joined["last"].Event.Reward);
        Assert.Equal(4.5, joined["sum"].Event.Reward);
        Assert.All(joined.Values, record => Assert.Equal(4, record.Event.RewardCount));
    }

    [Fact]
    public async Task Orphans_in_a_batch_expire_unless_their_decision_arrives_and_late_ones_do_not_count()
    {
        await using var harness = new StoreHarness(redis.Server);
        var store = await harness.OpenAsync();
        var found = await store.RecordRewardsAsync([harness.Reward("early", 2, "r1"), harness.Reward("early", 3, "r2")], CancellationToken.None);
        Assert.Equal(0, found);
        await harness.WaitUntilAsync(async db => (long)await db.HashGetAsync($"{harness.Prefix}:ev:early", "c") == 2);
        var ttl = await harness.WithRedisAsync(db => db.KeyTimeToLiveAsync($"{harness.Prefix}:ev:early"));
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(1), harness.Options().OrphanRewardTtl);

        await store.RecordDecisionAsync(harness.Decision("early", TimeSpan.FromSeconds(10)), CancellationToken.None);
        await harness.WaitUntilAsync(async db => await db.KeyTimeToLiveAsync($"{harness.Prefix}:ev:early") is null
            && await db.HashExistsAsync($"{harness.Prefix}:ev:early", "d"));
        harness.Clock.Advance(TimeSpan.FromSeconds(10));
        await store.RecordRewardsAsync([harness.Reward("early", 100, "late")], CancellationToken.None);

        var joined = await StoreHarness.ReadJoinedAsync(store, 1);
        Assert.Equal(5.0, joined[0].Event.Reward);
        Assert.Equal(2, joined[0].Event.RewardCount);
    }
}
