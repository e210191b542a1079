using StackExchange.Redis;

namespace Loops.Feedback.Redis.Tests;

public sealed class BoundedMemoryTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Streams_and_pending_joins_stay_bounded_when_rewards_never_arrive()
    {
        const int Rounds = 40;
        const int PerRound = 250;
        await using var harness = new StoreHarness(redis.Server);
        var options = harness.Options();
        options.JoinedRetention = 1000;
        var store = await harness.OpenAsync(options);
        var keys = new RedisKeys(harness.Prefix, options.Partitions);
        long maxIngest = 0;
        long maxPending = 0;
        for (var round = 0; round < Rounds; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, PerRound).Select(i =>
                store.RecordDecisionAsync(harness.Decision($"r{round}-{i}", TimeSpan.FromSeconds(1)), CancellationToken.None).AsTask()));

            // The window of this round closes; its decisions are joined with the default reward.
            harness.Clock.Advance(TimeSpan.FromSeconds(1));
            var expected = (round + 1L) * PerRound;
            await harness.WaitUntilAsync(async db => (long)await db.StringGetAsync(harness.Prefix + ":joined:seq") == expected);
            var (ingest, pending) = await harness.WithRedisAsync(async db => (await LengthsAsync(db, keys, 2), await PendingAsync(db, keys, 2)));
            maxIngest = Math.Max(maxIngest, ingest);
            maxPending = Math.Max(maxPending, pending);
        }

        var joinedLength = await harness.WithRedisAsync(db => db.StreamLengthAsync(harness.Prefix + ":joined"));
        var eventHashes = await harness.WithRedisAsync(async db =>
            (RedisResult[])(await db.ExecuteAsync("KEYS", harness.Prefix + ":ev:*"))!);
        Assert.Equal(0, maxIngest);
        Assert.Equal(0, maxPending);
        Assert.Empty(eventHashes);

        // MAXLEN ~ trims whole nodes: a little over the retention, far below the 10,000 joined.
        Assert.InRange(joinedLength, 1000, 1000 + 200);
    }

    private static async Task<long> LengthsAsync(IDatabase db, RedisKeys keys, int partitions)
    {
        long total = 0;
        for (var i = 0; i < partitions; i++)
        {
            total += await db.StreamLengthAsync(keys.Ingest(i));
        }

        return total;
    }

    private static async Task<long> PendingAsync(IDatabase db, RedisKeys keys, int partitions)
    {
        long total = 0;
        for (var i = 0; i < partitions; i++)
        {
            total += await db.SortedSetLengthAsync(keys.Deadlines(i));
        }

        return total;
    }
}
