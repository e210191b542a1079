using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Service.Admin;
using Loops.Training;
using StackExchange.Redis;

namespace Loops.Service.Hosting.Redis;

/// <summary>
/// Policy definitions shared through Redis: a hash <c>{prefix}:policies</c> (name → definition) and a channel of the
/// same name announcing changes. Every replica loads the hash at start and applies each announced change to its
/// catalogue, so an UpsertPolicy on one replica is served by all.
/// </summary>
internal sealed partial class RedisPolicyReplication(IConnectionMultiplexer redis, string keyPrefix, PolicyCatalog catalog, ILogger<RedisPolicyReplication> logger)
    : IPolicyReplication
{
    private readonly RedisKey _policies = keyPrefix + ":policies";
    private readonly RedisChannel _changes = new(keyPrefix + ":policies", RedisChannel.PatternMode.Literal);

    public async Task PublishAsync(Policy policy, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        await db.HashSetAsync(_policies, policy.Name, policy.ToByteArray()).WaitAsync(cancellationToken).ConfigureAwait(false);
        await db.PublishAsync(_changes, policy.Name).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies every stored definition, then follows the announced changes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await redis.GetSubscriber().SubscribeAsync(_changes, (_, name) => ApplyInBackground(name!)).ConfigureAwait(false);
        if (!redis.IsConnected)
        {
            LogNotConnected(logger);
            return;
        }

        foreach (var entry in await redis.GetDatabase().HashGetAllAsync(_policies).WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            await catalog.UpsertAsync(Policy.Parser.ParseFrom((byte[])entry.Value!), cancellationToken).ConfigureAwait(false);
        }
    }

    // Pub/sub handlers are synchronous; the change is applied off the subscriber's thread, and logs its own failures.
    private void ApplyInBackground(string name) => _ = ApplyAsync(name);

    private async Task ApplyAsync(string name)
    {
        try
        {
            var definition = await redis.GetDatabase().HashGetAsync(_policies, name).ConfigureAwait(false);
            if (!definition.IsNull)
            {
                await catalog.UpsertAsync(Policy.Parser.ParseFrom((byte[])definition!), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is RedisException or InvalidPolicyException or InvalidProtocolBufferException or IOException)
        {
            LogApplyFailed(logger, name, exception);
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Redis is not reachable at start; policies stored there are loaded when they change")]
    private static partial void LogNotConnected(ILogger logger);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Applying the shared definition of policy {Policy} failed")]
    private static partial void LogApplyFailed(ILogger logger, string policy, Exception exception);
}
