using System.Globalization;
using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Training;
using StackExchange.Redis;

namespace Loops.Service.Hosting.Redis;

/// <summary>
/// Model versions shared by every replica on one Redis: per policy a hash <c>{prefix}:models:{policy}</c> (version →
/// entry), one immutable key per snapshot <c>{prefix}:model:{policy}:{version}</c> (the model-file format), the live
/// version in <c>{prefix}:models:{policy}:live</c>, a counter that numbers versions, and a channel
/// <c>{prefix}:models</c> announcing each live change by policy name.
/// </summary>
internal sealed class RedisModelRepository(IConnectionMultiplexer redis, string keyPrefix) : IModelRepository
{
    // Numbers stay unique when a replica proposes a higher one (its local count after running alone).
    private const string Allocate = """
        local n = redis.call('INCR', KEYS[1])
        if n < tonumber(ARGV[1]) then
          redis.call('SET', KEYS[1], ARGV[1])
          n = tonumber(ARGV[1])
        end
        return n
        """;

    private const string What = "The model store";

    /// <summary>The channel that announces live changes (the message is the policy's name).</summary>
    public RedisChannel Changes { get; } = new(keyPrefix + ":models", RedisChannel.PatternMode.Literal);

    public async Task<IReadOnlyList<ModelVersion>> ListAsync(string policy, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var entries = await db.HashGetAllAsync(Index(policy)).AsIOAsync(What, cancellationToken).ConfigureAwait(false);
        var live = await LiveVersionAsync(policy, cancellationToken).ConfigureAwait(false);
        var versions = entries.Select(entry => ModelVersion.Parser.ParseFrom((byte[])entry.Value!)).ToList();
        foreach (var version in versions)
        {
            version.Live = version.Version == live;
        }

        versions.Sort((a, b) => a.Version.CompareTo(b.Version));
        return versions;
    }

    public async Task<long> AllocateVersionAsync(string policy, long atLeast, CancellationToken cancellationToken)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(Allocate, [(RedisKey)$"{keyPrefix}:models:{policy}:next"], [atLeast])
            .AsIOAsync(What, cancellationToken).ConfigureAwait(false);
        return (long)result;
    }

    public async Task AddAsync(string policy, ModelVersion entry, byte[] snapshot, CancellationToken cancellationToken)
    {
        var stored = entry.Clone();
        stored.Live = false;
        var db = redis.GetDatabase();
        await db.StringSetAsync(Snapshot(policy, entry.Version), snapshot).AsIOAsync(What, cancellationToken).ConfigureAwait(false);
        await db.HashSetAsync(Index(policy), entry.Version, stored.ToByteArray()).AsIOAsync(What, cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> ReadAsync(string policy, long version, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Snapshot(policy, version)).AsIOAsync(What, cancellationToken).ConfigureAwait(false);
        return value.IsNull ? null : (byte[])value!;
    }

    public async Task MarkLiveAsync(string policy, long version, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        await db.StringSetAsync(Live(policy), version).AsIOAsync(What, cancellationToken).ConfigureAwait(false);
        await db.PublishAsync(Changes, policy).AsIOAsync(What, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> LiveVersionAsync(string policy, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Live(policy)).AsIOAsync(What, cancellationToken).ConfigureAwait(false);
        return value.IsNull ? 0 : (long)value;
    }

    private RedisKey Index(string policy) => $"{keyPrefix}:models:{policy}";

    private RedisKey Live(string policy) => $"{keyPrefix}:models:{policy}:live";

    private RedisKey Snapshot(string policy, long version) =>
        $"{keyPrefix}:model:{policy}:{version.ToString(CultureInfo.InvariantCulture)}";
}
