using Google.Protobuf;
using Loops.Contracts.V1;
using StackExchange.Redis;

namespace Loops.Feedback.Redis.Tests;

/// <summary>Writes ingest entries by hand, as a store (of this or an older version) would, for format-level tests.</summary>
internal sealed class IngestEntries(StoreHarness harness)
{
    private readonly RedisKeys _keys = new(harness.Prefix, 2);

    public string Stream(string eventId) => (string)_keys.Ingest(_keys.PartitionOf(eventId))!;

    /// <summary>Creates the joiners' group on every partition, as a store that opened would have.</summary>
    public async Task CreateGroupsAsync()
    {
        for (var partition = 0; partition < _keys.Partitions; partition++)
        {
            var stream = (string)_keys.Ingest(partition)!;
            await harness.WithRedisAsync(db => db.ExecuteAsync("XGROUP", "CREATE", stream, RedisKeys.JoinerGroup, "0", "MKSTREAM"));
        }
    }

    public Task DecisionAsync(DecisionEvent decision) =>
        harness.WithRedisAsync(db => db.ExecuteAsync(
            "XADD", Stream(decision.EventId), "*", "k", "d", "e", decision.EventId, "b", decision.ToByteArray(),
            "dl", decision.JoinDeadlineUnixMs, "p", decision.Policy, "dr", "0"));

    /// <summary>A single-reward entry, the format written before rewards were packed in batches.</summary>
    public Task SingleRewardAsync(RewardEvent reward) =>
        harness.WithRedisAsync(db => db.ExecuteAsync(
            "XADD", Stream(reward.EventId), "*", "k", "r", "e", reward.EventId, "v", reward.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            "t", reward.TimestampUnixMs, "id", reward.RewardId));

    /// <summary>A batch entry holding the rewards (all of one partition), packed as the store packs them.</summary>
    public Task BatchAsync(params RewardEvent[] rewards) =>
        harness.WithRedisAsync(db => db.ExecuteAsync(
            "XADD", Stream(rewards[0].EventId), "*", "k", "rb", "b", PackedRewards.Pack(rewards, Enumerable.Range(0, rewards.Length).ToArray())));

    /// <summary>Reads the partition's new entries as a consumer that then dies without applying them.</summary>
    public Task ReadAsDeadJoinerAsync(string eventId) =>
        harness.WithRedisAsync(db => db.ExecuteAsync("XREADGROUP", "GROUP", RedisKeys.JoinerGroup, "dead", "COUNT", 100, "STREAMS", Stream(eventId), ">"));

    /// <summary>Waits until the joiner applied and deleted every entry of the partition, with none left pending.</summary>
    public async Task WaitAppliedAsync(string eventId)
    {
        await harness.WaitUntilAsync(async db => await db.StreamLengthAsync(Stream(eventId)) == 0);
        var pending = await harness.WithRedisAsync(db => db.ExecuteAsync("XPENDING", Stream(eventId), RedisKeys.JoinerGroup));
        Assert.Equal(0, (long)((RedisResult[])pending!)[0]);
    }
}
