using System.Runtime.CompilerServices;
using Loops.Contracts.V1;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Loops.Feedback.Redis;

/// <summary>
/// The feedback store on Redis, shared by any number of service processes. Decisions and rewards are appended to
/// ingest streams (partitioned by event id); each process's joiner is a member of a consumer group that applies
/// them to per-event pending state and joins each decision when its window closes; joined events go to one stream
/// numbered by sequence, which trainers follow. While Redis is unreachable, records go to a local spool and are
/// replayed in order when it is back. See <c>docs/redis.md</c> for the keys and the guarantees.
/// </summary>
public sealed class RedisFeedbackStore : IFeedbackStore
{
    private readonly ConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly Spool _spool;
    private readonly RedisIngest _ingest;
    private readonly JoinedStreamReader _joinedReader;
    private readonly RedisFeedbackCounters _counters = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _joiner;
    private int _disposed;

    private RedisFeedbackStore(
        ConnectionMultiplexer redis, RedisKeys keys, Spool spool, RedisFeedbackStoreOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _redis = redis;
        _keys = keys;
        _spool = spool;
        _ingest = new RedisIngest(redis, keys, spool, options, timeProvider, logger);
        _joinedReader = new JoinedStreamReader(redis, keys, options, logger);
        var joiner = new RedisJoiner(redis, keys, options, timeProvider, logger, _counters);
        _joiner = Task.Run(() => RunJoinerAsync(joiner, _stopping.Token));
    }

    /// <summary>The connection to Redis, shared with the other Redis users of the process (policies, models).</summary>
    public IConnectionMultiplexer Connection => _redis;

    /// <summary>The prefix of the store's keys.</summary>
    public string KeyPrefix => _keys.Prefix;

    /// <summary>
    /// Connects to Redis (or keeps trying in the background when it is down: records are spooled meanwhile), opens
    /// the spool and starts this process's joiner.
    /// </summary>
    /// <param name="options">The settings; validated and copied.</param>
    /// <param name="timeProvider">The clock that stamps rewards and closes reward windows.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static async Task<RedisFeedbackStore> OpenAsync(
        RedisFeedbackStoreOptions options, TimeProvider timeProvider, ILogger<RedisFeedbackStore> logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        options = options.Copy();
        if (string.IsNullOrEmpty(options.ConsumerName))
        {
            options.ConsumerName = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        }

        var configuration = ConfigurationOptions.Parse(options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        configuration.SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        var redis = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken);
        var spool = await Spool.OpenAsync(options.SpoolDirectory, options.MaxSpoolBytes, cancellationToken);
        var keys = new RedisKeys(options.KeyPrefix, options.Partitions);
        RedisFeedbackLog.Opened(logger, options.Configuration, options.KeyPrefix, options.Partitions, options.ConsumerName, redis.IsConnected, spool.Length);
        return new RedisFeedbackStore(redis, keys, spool, options, timeProvider, logger);
    }

    /// <inheritdoc />
    public async ValueTask RecordDecisionAsync(DecisionEvent decision, CancellationToken cancellationToken) =>
        await RecordDecisionOnceAsync(decision, new DecideResponse { EventId = decision.EventId }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<DecideResponse> RecordDecisionOnceAsync(
        DecisionEvent decision, DecideResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentException.ThrowIfNullOrEmpty(decision.EventId, nameof(decision));
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var original = await _ingest.RecordDecisionAsync(decision, response, cancellationToken);
        _counters.Decision(duplicate: original is not null);
        return original ?? response;
    }

    /// <inheritdoc />
    /// <remarks>A reward without a reward id gets one here, so the pipeline counts it once however often it is delivered.</remarks>
    public async ValueTask<bool> RecordRewardAsync(RewardEvent reward, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reward);
        return await RecordRewardsAsync([reward], cancellationToken) == 1;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite (the service refuses those already).</exception>
    /// <remarks>
    /// A reward without a reward id gets one here. The rewards go to Redis in one script call (with those of other
    /// callers queued meanwhile), as one stream entry per partition.
    /// </remarks>
    public async ValueTask<int> RecordRewardsAsync(IReadOnlyList<RewardEvent> rewards, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        foreach (var reward in rewards)
        {
            ArgumentNullException.ThrowIfNull(reward, nameof(rewards));
            ArgumentException.ThrowIfNullOrEmpty(reward.EventId, nameof(rewards));

            // A sum that is not a number would stop the joiner at this entry for good.
            if (!double.IsFinite(reward.Value))
            {
                throw new ArgumentOutOfRangeException(nameof(rewards), reward.Value, "A reward's value must be a finite number.");
            }
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (rewards.Count == 0)
        {
            return 0;
        }

        var found = await _ingest.RecordRewardsAsync(rewards, cancellationToken);
        _counters.Rewards(rewards.Count, found);
        return found;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JoinedRecord> ReadJoinedAsync(long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        await foreach (var record in _joinedReader.ReadAsync(afterSequence, linked.Token))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Counters are this process's; <see cref="FeedbackStats.PendingJoins"/> and <see cref="FeedbackStats.LastJoinedSequence"/>
    /// are Redis's, as last read by the joiner (about once a second).
    /// </remarks>
    public FeedbackStats GetStats() => _counters.Snapshot();

    /// <inheritdoc />
    /// <remarks>Pings Redis: while it is unreachable, records are spooled locally, and the service is not ready.</remarks>
    public async ValueTask<FeedbackStoreHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var latency = await _redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            return new FeedbackStoreHealth(IsReachable: true, $"redis answered in {latency.TotalMilliseconds:0.#} ms; {_spool.Length} spooled bytes");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return new FeedbackStoreHealth(IsReachable: false, $"redis is unreachable ({exception.Message}); records are spooled locally");
        }
    }

    /// <summary>Bytes waiting in the local spool for Redis to come back.</summary>
    public long SpooledBytes => _spool.Length;

    /// <summary>Writes what is queued (to Redis or the spool), stops the joiner and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _ingest.DisposeAsync();
        await _stopping.CancelAsync();
        await _joiner;
        await _spool.DisposeAsync();
        await _redis.CloseAsync();
        _redis.Dispose();
        _stopping.Dispose();
    }

    private static async Task RunJoinerAsync(RedisJoiner joiner, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await joiner.EnsureGroupsAsync();
                break;
            }
            catch (Exception exception) when (RedisFailures.IsUnavailable(exception))
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        await joiner.RunAsync(stopping);
    }
}
