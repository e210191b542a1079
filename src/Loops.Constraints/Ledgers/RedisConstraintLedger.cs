using System.Globalization;
using StackExchange.Redis;

namespace Loops.Constraints.Ledgers;

/// <summary>
/// The ledger shared by every replica through one Redis primary. Each check, reservation and release is one Lua
/// script (<see cref="LedgerScripts"/>), so concurrent decisions on any number of replicas never exceed a limit.
/// Times are the replicas' clocks (keep them in sync); keys expire with their windows and periods.
/// </summary>
public sealed class RedisConstraintLedger : IConstraintLedger
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;

    private RedisConstraintLedger(ConnectionMultiplexer connection)
    {
        _connection = connection;
        _database = connection.GetDatabase();
    }

    /// <summary>Connects to Redis, for example <c>127.0.0.1:6379</c>.</summary>
    /// <param name="configuration">A StackExchange.Redis configuration string.</param>
    public static async Task<RedisConstraintLedger> ConnectAsync(string configuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        return new RedisConstraintLedger(connection);
    }

    /// <inheritdoc />
    public async ValueTask CheckAsync(IReadOnlyList<Charge> charges, long nowUnixMs, Memory<bool> fits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        if (charges.Count == 0)
        {
            return;
        }

        var keys = new RedisKey[charges.Count];
        var values = new RedisValue[1 + (4 * charges.Count)];
        values[0] = nowUnixMs;
        for (var i = 0; i < charges.Count; i++)
        {
            keys[i] = charges[i].Key;
            WriteCharge(values, 1 + (4 * i), charges[i]);
        }

        var result = (RedisResult[])(await _database.ScriptEvaluateAsync(LedgerScripts.Check, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false))!;
        var flags = fits.Span;
        for (var i = 0; i < charges.Count; i++)
        {
            flags[i] = (long)result[i] == 1;
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> TryReserveAsync(string eventId, IReadOnlyList<Charge> charges, long nowUnixMs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        ArgumentNullException.ThrowIfNull(charges);
        var keys = new RedisKey[1 + charges.Count];
        var values = new RedisValue[2 + (4 * charges.Count)];
        keys[0] = LedgerKeys.Reservation(eventId);
        values[0] = nowUnixMs;
        values[1] = eventId;
        for (var i = 0; i < charges.Count; i++)
        {
            keys[1 + i] = charges[i].Key;
            WriteCharge(values, 2 + (4 * i), charges[i]);
        }

        // Not cancelled once sent: the script may run anyway, and its outcome must be known to log the decision.
        var result = (long)(await _database.ScriptEvaluateAsync(LedgerScripts.Reserve, keys, values).ConfigureAwait(false));
        return result == 0 ? -1 : (int)result - 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReleaseAsync(string eventId, long nowUnixMs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var result = await _database.ScriptEvaluateAsync(
            LedgerScripts.Release, [LedgerKeys.Reservation(eventId)], [eventId]).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connection.CloseAsync().ConfigureAwait(false);
        _connection.Dispose();
    }

    private static void WriteCharge(RedisValue[] values, int offset, in Charge charge)
    {
        values[offset] = charge.Kind == ChargeKind.RollingCount ? "c" : "s";
        values[offset + 1] = charge.Amount.ToString("R", CultureInfo.InvariantCulture);
        values[offset + 2] = charge.Limit.ToString("R", CultureInfo.InvariantCulture);
        values[offset + 3] = charge.WindowMs;
    }
}
