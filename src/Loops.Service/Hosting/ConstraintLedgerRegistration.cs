using Loops.Constraints.Ledgers;

namespace Loops.Service.Hosting;

/// <summary>
/// Chooses the constraint ledger: Redis when <c>Loops:Constraints:Redis</c> names a server (host:port, shared by
/// every replica), otherwise the embedded ledger under the data directory (one process).
/// </summary>
internal static class ConstraintLedgerRegistration
{
    public const string RedisSetting = "Loops:Constraints:Redis";

    public static async Task<IConstraintLedger> OpenAsync(IConfiguration configuration, string dataDirectory, TimeProvider timeProvider)
    {
        var redis = configuration[RedisSetting];
        return string.IsNullOrWhiteSpace(redis)
            ? EmbeddedConstraintLedger.Open(dataDirectory, timeProvider.GetUtcNow().ToUnixTimeMilliseconds())
            : await RedisConstraintLedger.ConnectAsync(redis).ConfigureAwait(false);
    }
}
