using Loops.Constraints.Ledgers;

namespace Loops.Service.Hosting;

/// <summary>
/// Chooses the constraint ledger: Redis when <c>Loops:Constraints:Redis</c> names a server (host:port, shared by
/// every replica) or, without it, when the feedback store is on Redis (<c>--redis</c>), so that caps and budgets
/// hold across the replicas that share it; otherwise the embedded ledger under the data directory (one process).
/// </summary>
internal static class ConstraintLedgerRegistration
{
    public const string RedisSetting = "Loops:Constraints:Redis";

    public static async Task<IConstraintLedger> OpenAsync(IConfiguration configuration, string dataDirectory, TimeProvider timeProvider)
    {
        var redis = configuration[RedisSetting] is { Length: > 0 } ledgerServer
            ? ledgerServer
            : Redis.RedisHosting.RedisConfiguration(configuration);
        return string.IsNullOrWhiteSpace(redis)
            ? EmbeddedConstraintLedger.Open(dataDirectory, timeProvider.GetUtcNow().ToUnixTimeMilliseconds())
            : await RedisConstraintLedger.ConnectAsync(redis).ConfigureAwait(false);
    }
}
