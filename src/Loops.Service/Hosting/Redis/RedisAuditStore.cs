using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Training;
using StackExchange.Redis;

namespace Loops.Service.Hosting.Redis;

/// <summary>
/// Audit records shared by the replicas: per policy a list <c>{prefix}:audit:{policy}</c>, newest first and trimmed to
/// the most recent <see cref="Kept"/>, numbered by the counter <c>{prefix}:audit:next</c>.
/// </summary>
internal sealed class RedisAuditStore(IConnectionMultiplexer redis, string keyPrefix) : IAuditStore
{
    /// <summary>The records kept per policy.</summary>
    public const int Kept = 1000;

    private const string What = "The audit log";

    public async Task<long> AppendAsync(Evaluation record, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var id = await db.StringIncrementAsync(keyPrefix + ":audit:next").AsIOAsync(What, cancellationToken).ConfigureAwait(false);
        var stored = record.Clone();
        stored.Id = id;
        var key = List(record.Policy);
        await db.ListLeftPushAsync(key, stored.ToByteArray()).AsIOAsync(What, cancellationToken).ConfigureAwait(false);
        await db.ListTrimAsync(key, 0, Kept - 1).AsIOAsync(What, cancellationToken).ConfigureAwait(false);
        return id;
    }

    public async Task<IReadOnlyList<Evaluation>> RecentAsync(string policy, int limit, CancellationToken cancellationToken)
    {
        var values = await redis.GetDatabase().ListRangeAsync(List(policy), 0, Math.Min(limit, Kept) - 1).AsIOAsync(What, cancellationToken).ConfigureAwait(false);
        return [.. values.Select(value => Evaluation.Parser.ParseFrom((byte[])value!))];
    }

    private RedisKey List(string policy) => $"{keyPrefix}:audit:{policy}";
}
