using Loops.Contracts.V1;
using StackExchange.Redis;

namespace Loops.Feedback.Redis.Tests;

public sealed class IdempotencyTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_retried_decide_gets_the_original_response_and_is_logged_once()
    {
        await using var harness = new StoreHarness(redis.Server);
        var store = await harness.OpenAsync();
        var first = new DecideResponse { EventId = "e", ActionId = "first" };
        var retry = new DecideResponse { EventId = "e", ActionId = "second" };

        var answered = await store.RecordDecisionOnceAsync(harness.Decision("e", TimeSpan.FromSeconds(5)), first, CancellationToken.None);
        var answeredRetry = await store.RecordDecisionOnceAsync(harness.Decision("e", TimeSpan.FromSeconds(5)), retry, CancellationToken.None);

        Assert.Same(first, answered);
        Assert.Equal("first", answeredRetry.ActionId);
        Assert.Equal(1, store.GetStats().DuplicateDecisions);
        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        await StoreHarness.ReadJoinedAsync(store, 1);
        await harness.WaitUntilAsync(async db => (long)await db.StringGetAsync($"{harness.Prefix}:joined:seq") == 1);
        Assert.Equal(1, await harness.WithRedisAsync(db => db.StreamLengthAsync($"{harness.Prefix}:joined")));
    }

    [Fact]
    public async Task A_reward_retried_with_its_reward_id_counts_once_and_one_without_counts_each_time()
    {
        await using var harness = new StoreHarness(redis.Server);
        var store = await harness.OpenAsync();
        await store.RecordDecisionAsync(harness.Decision("e", TimeSpan.FromSeconds(5)), CancellationToken.None);
        await store.RecordRewardAsync(harness.Reward("e", 10, rewardId: "r1"), CancellationToken.None);
        await store.RecordRewardAsync(harness.Reward("e", 10, rewardId: "r1"), CancellationToken.None);
        await store.RecordRewardAsync(harness.Reward("e", 1), CancellationToken.None);
        await store.RecordRewardAsync(harness.Reward("e", 1), CancellationToken.None);
        await harness.WaitUntilAsync(async db => await db.StreamLengthAsync($"{harness.Prefix}:in:{new RedisKeys(harness.Prefix, 2).PartitionOf("e")}") == 0);

        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        var joined = await StoreHarness.ReadJoinedAsync(store, 1);
        Assert.Equal(12.0, joined[0].Event.Reward);
        Assert.Equal(3, joined[0].Event.RewardCount);
    }

    [Fact]
    public async Task Entries_left_by_a_dead_joiner_are_claimed_and_applied_once()
    {
        await using var harness = new StoreHarness(redis.Server);
        var keys = new RedisKeys(harness.Prefix, 2);
        var partition = keys.PartitionOf("e");
        var stream = (string)keys.Ingest(partition)!;

        // A joiner that read the decision and a reward, then died before applying them.
        await harness.WithRedisAsync(async db =>
        {
            await db.ExecuteAsync("XGROUP", "CREATE", stream, RedisKeys.JoinerGroup, "0", "MKSTREAM");
            var decision = harness.Decision("e", TimeSpan.FromSeconds(5));
            await db.ExecuteAsync("XADD", stream, "*", "k", "d", "e", "e", "b", Google.Protobuf.MessageExtensions.ToByteArray(decision),
                "dl", decision.JoinDeadlineUnixMs, "p", "p", "dr", "0");
            await db.ExecuteAsync("XADD", stream, "*", "k", "r", "e", "e", "v", "3", "t", harness.Clock.GetUtcNow().ToUnixTimeMilliseconds(), "id", "r1");
            return await db.ExecuteAsync("XREADGROUP", "GROUP", RedisKeys.JoinerGroup, "dead", "COUNT", 10, "STREAMS", stream, ">");
        });

        var store = await harness.OpenAsync();
        await harness.WaitUntilAsync(async db => await db.StreamLengthAsync(stream) == 0);
        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        var joined = await StoreHarness.ReadJoinedAsync(store, 1);
        Assert.Equal(3.0, joined[0].Event.Reward);
        Assert.Equal(1, joined[0].Event.RewardCount);
        var pending = await harness.WithRedisAsync(db => db.ExecuteAsync("XPENDING", stream, RedisKeys.JoinerGroup));
        Assert.Equal(0, (long)((RedisResult[])pending!)[0]);
    }
}
