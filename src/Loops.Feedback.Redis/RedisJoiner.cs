using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Loops.Feedback.Redis;

/// <summary>
/// This process's member of the joiners' consumer group: reads new ingest entries of every partition and applies them
/// to the pending state with their acknowledgement (one script call per partition and batch, reading inside Redis), takes over entries that a stalled or
/// dead member left unacknowledged, and joins the decisions whose window closed. Any number of processes may run
/// one: every step is atomic in Redis, so a decision is joined once whoever does it.
/// </summary>
internal sealed class RedisJoiner
{
    private const int ClaimedEntriesPerCall = 16;
    private const int MaxReadsPerRound = 8;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan GaugeInterval = TimeSpan.FromSeconds(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly RedisFeedbackStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RedisFeedbackCounters _counters;

    public RedisJoiner(
        IConnectionMultiplexer redis,
        RedisKeys keys,
        RedisFeedbackStoreOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        RedisFeedbackCounters counters)
    {
        _redis = redis;
        _keys = keys;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _counters = counters;
    }

    /// <summary>Creates the consumer group on every ingest stream (and the streams), unless it exists.</summary>
    public async Task EnsureGroupsAsync()
    {
        var db = _redis.GetDatabase();
        for (var i = 0; i < _keys.Partitions; i++)
        {
            try
            {
                await db.ExecuteAsync("XGROUP", "CREATE", (string)_keys.Ingest(i)!, RedisKeys.JoinerGroup, "0", "MKSTREAM");
            }
            catch (RedisServerException exception) when (exception.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
            }
        }
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var lastClaim = TimeProvider.System.GetTimestamp();
        var lastGauges = lastClaim;
        var unavailable = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var work = await ReadAndApplyAsync();
                if (TimeProvider.System.GetElapsedTime(lastClaim) >= _options.ClaimIdleTime / 2)
                {
                    work += await ClaimAsync();
                    lastClaim = TimeProvider.System.GetTimestamp();
                }

                work += await JoinDueAsync();
                if (TimeProvider.System.GetElapsedTime(lastGauges) >= GaugeInterval || work > 0)
                {
                    await RefreshGaugesAsync();
                    lastGauges = TimeProvider.System.GetTimestamp();
                }

                unavailable = false;
                if (work == 0)
                {
                    await Task.Delay(_options.PollInterval, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (RedisFailures.IsUnavailable(exception))
            {
                if (!unavailable)
                {
                    RedisFeedbackLog.JoinerUnavailable(_logger, exception);
                    unavailable = true;
                }

                await DelayAsync(stopping);
            }
            catch (RedisServerException exception) when (exception.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                // The streams were deleted (or Redis lost its data): start over with fresh groups.
                await EnsureGroupsAsync();
            }
            catch (Exception exception) when (exception is RedisException or InvalidCastException or FormatException)
            {
                RedisFeedbackLog.JoinerFailed(_logger, exception);
                await DelayAsync(stopping);
            }
        }
    }

    private static async Task DelayAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(RetryDelay, stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<int> ReadAndApplyAsync()
    {
        var db = _redis.GetDatabase();
        var partitions = new Task<int>[_keys.Partitions];
        for (var partition = 0; partition < partitions.Length; partition++)
        {
            partitions[partition] = ReadAndApplyAsync(db, partition);
        }

        var read = 0;
        foreach (var partition in partitions)
        {
            read += await partition;
        }

        return read;
    }

    /// <summary>
    /// Applies the partition's new entries, call after call while each finds a full batch (a backlog), up to a bound:
    /// catching up this way skips the joins and gauges between batches, which cannot progress past the backlog anyway.
    /// </summary>
    private async Task<int> ReadAndApplyAsync(IDatabase db, int partition)
    {
        var read = 0;
        for (var call = 0; call < MaxReadsPerRound; call++)
        {
            var result = (RedisResult[])(await Within(db.ScriptEvaluateAsync(
                RedisScripts.ReadAndApply,
                [_keys.Ingest(partition), _keys.Deadlines(partition)],
                [RedisKeys.JoinerGroup, _options.ConsumerName, _options.MaxBatch, _keys.PendingPrefix, (long)_options.OrphanRewardTtl.TotalMilliseconds])))!;
            var (decisions, counted, lateOrRepeated) = ((long)result[0], (long)result[1], (long)result[2]);
            _counters.Applied(decisions, counted, lateOrRepeated);
            read += (int)(long)result[3];
            if (decisions + counted + lateOrRepeated < _options.MaxBatch)
            {
                break;
            }
        }

        return read;
    }

    private async Task<int> ClaimAsync()
    {
        var claimed = 0;
        var db = _redis.GetDatabase();
        var minIdle = (long)_options.ClaimIdleTime.TotalMilliseconds;
        for (var partition = 0; partition < _keys.Partitions; partition++)
        {
            var start = "0-0";
            do
            {
                var result = (RedisResult[])(await Within(db.ExecuteAsync(
                    "XAUTOCLAIM", (string)_keys.Ingest(partition)!, RedisKeys.JoinerGroup, _options.ConsumerName, minIdle, start, "COUNT", _options.MaxBatch)))!;
                start = (string)result[0]!;
                var entries = StreamEntry.ParseList(result[1]);
                if (entries.Count > 0)
                {
                    RedisFeedbackLog.Claimed(_logger, entries.Count, partition);
                    await ApplyAsync(partition, entries);
                    claimed += entries.Count;
                }
            }
            while (start != "0-0");
        }

        return claimed;
    }

    private async Task ApplyAsync(int partition, List<StreamEntry> entries)
    {
        // A batch entry holds up to MaxBatch rewards: a few entries per call keep each script short.
        for (var start = 0; start < entries.Count; start += ClaimedEntriesPerCall)
        {
            var chunk = entries.GetRange(start, Math.Min(ClaimedEntriesPerCall, entries.Count - start));
            var result = (RedisResult[])(await Within(_redis.GetDatabase().ScriptEvaluateAsync(
                RedisScripts.Apply, [_keys.Ingest(partition), _keys.Deadlines(partition)], ApplyArguments(chunk))))!;
            _counters.Applied((long)result[0], (long)result[1], (long)result[2]);
        }
    }

    private RedisValue[] ApplyArguments(List<StreamEntry> entries)
    {
        var values = new RedisValue[3 + (7 * entries.Count)];
        values[0] = RedisKeys.JoinerGroup;
        values[1] = _keys.PendingPrefix;
        values[2] = (long)_options.OrphanRewardTtl.TotalMilliseconds;
        var at = 3;
        foreach (var entry in entries)
        {
            var kind = entry["k"];
            values[at++] = entry.Id;
            values[at++] = kind;
            if (kind == "d")
            {
                values[at++] = entry["e"];
                values[at++] = entry["b"];
                values[at++] = entry["dl"];
                values[at++] = entry["p"];
                values[at++] = entry["dr"];
            }
            else if (kind == "r")
            {
                values[at++] = entry["e"];
                values[at++] = entry["v"];
                values[at++] = entry["t"];
                values[at++] = entry["id"];
                values[at++] = RedisValue.EmptyString;
            }
            else
            {
                values[at++] = RedisValue.EmptyString;
                values[at++] = entry["b"];
                values[at++] = RedisValue.EmptyString;
                values[at++] = RedisValue.EmptyString;
                values[at++] = RedisValue.EmptyString;
            }
        }

        return values;
    }

    private async Task<int> JoinDueAsync()
    {
        var joined = 0;
        var db = _redis.GetDatabase();
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        for (var partition = 0; partition < _keys.Partitions; partition++)
        {
            long count;
            do
            {
                var result = (RedisResult[])(await Within(db.ScriptEvaluateAsync(
                    RedisScripts.Join,
                    [_keys.Deadlines(partition), _keys.Ingest(partition), _keys.Joined, _keys.JoinedSequence],
                    [now, (long)_options.JoinDelay.TotalMilliseconds, _options.MaxBatch, _keys.PendingPrefix, _options.JoinedRetention])))!;
                count = (long)result[0];
                _counters.JoinedBatch(count, (long)result[1], (long)result[2]);
                joined += (int)count;
            }
            while (count == _options.MaxBatch);
        }

        return joined;
    }

    private async Task RefreshGaugesAsync()
    {
        var db = _redis.GetDatabase();
        long pending = 0;
        for (var partition = 0; partition < _keys.Partitions; partition++)
        {
            pending += await Within(db.SortedSetLengthAsync(_keys.Deadlines(partition)));
        }

        var sequence = await Within(db.StringGetAsync(_keys.JoinedSequence));
        _counters.Gauges(pending, sequence.IsNull ? 0 : (long)sequence);
    }

    private Task<T> Within<T>(Task<T> call) => call.WaitAsync(_options.OperationTimeout);
}
