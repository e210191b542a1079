using System.Globalization;
using System.Threading.Channels;
using Google.Protobuf;
using Loops.Contracts.V1;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Loops.Feedback.Redis;

/// <summary>
/// The write path: decisions (one script call each) and rewards (batched, one script call per batch) appended to the
/// ingest streams; while Redis is unreachable, or while older records still wait in the spool, records go to the
/// spool instead, which a background loop replays in order. Replays are idempotent (decisions by event id, rewards
/// by reward id), so a record written twice around a failure still counts once.
/// </summary>
internal sealed class RedisIngest : IAsyncDisposable
{
    private const int RewardWriters = 2;
    private static readonly TimeSpan ReplayRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly Spool _spool;
    private readonly RedisFeedbackStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Channel<PendingRewards> _rewards = Channel.CreateUnbounded<PendingRewards>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly SemaphoreSlim _replayDue = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _loops;

    // Owned by the replay loop: how far the spool has been written to Redis since it was last emptied.
    private long _replayedTo;
    private long _replayedCount;

    public RedisIngest(
        IConnectionMultiplexer redis, RedisKeys keys, Spool spool, RedisFeedbackStoreOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _redis = redis;
        _keys = keys;
        _spool = spool;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _loops = new Task[RewardWriters + 1];
        for (var i = 0; i < RewardWriters; i++)
        {
            _loops[i] = Task.Run(() => WriteRewardsAsync(_stopping.Token));
        }

        _loops[RewardWriters] = Task.Run(() => ReplayAsync(_stopping.Token));
        if (spool.Length > 0)
        {
            _replayDue.Release();
        }
    }

    /// <summary>Records sent straight to Redis are only possible while nothing older waits in the spool.</summary>
    private bool Direct => _spool.Length == 0 && _redis.IsConnected;

    /// <summary>Logs a decision once per event id; returns the original response of a retried one, else null.</summary>
    public async Task<DecideResponse?> RecordDecisionAsync(DecisionEvent decision, DecideResponse response, CancellationToken cancellationToken)
    {
        if (Direct)
        {
            try
            {
                return await SendDecisionAsync(decision, response).WaitAsync(_options.OperationTimeout, cancellationToken);
            }
            catch (Exception exception) when (RedisFailures.IsUnavailable(exception))
            {
                RedisFeedbackLog.Spooling(_logger, 1, exception);
            }
        }

        await SpoolAsync([SpoolRecord.ForDecision(decision, response)], cancellationToken);
        return null;
    }

    /// <summary>
    /// Records rewards (each without a reward id gets a generated one); returns how many found their decision.
    /// More than <see cref="RedisFeedbackStoreOptions.MaxBatch"/> rewards are written in several script calls.
    /// </summary>
    public Task<int> RecordRewardsAsync(IReadOnlyList<RewardEvent> rewards, CancellationToken cancellationToken)
    {
        foreach (var reward in rewards)
        {
            if (reward.RewardId.Length == 0)
            {
                // Generated at acceptance: a redelivery or a replay of this reward inside the pipeline still counts once.
                reward.RewardId = Guid.NewGuid().ToString("N");
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (rewards.Count <= _options.MaxBatch)
        {
            return Enqueue(rewards);
        }

        var parts = new Task<int>[(rewards.Count + _options.MaxBatch - 1) / _options.MaxBatch];
        for (var i = 0; i < parts.Length; i++)
        {
            var start = i * _options.MaxBatch;
            parts[i] = Enqueue(rewards.Skip(start).Take(_options.MaxBatch).ToArray());
        }

        return SumAsync(parts);
    }

    public async ValueTask DisposeAsync()
    {
        _rewards.Writer.TryComplete();
        await Task.WhenAll(_loops[..RewardWriters]);
        await _stopping.CancelAsync();
        await _loops[RewardWriters];
        _stopping.Dispose();
        _replayDue.Dispose();
    }

    private async Task<DecideResponse?> SendDecisionAsync(DecisionEvent decision, DecideResponse response)
    {
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

        // Kept for the reward window and a minute more, so retries and late rewards still find it.
        var ttl = Math.Max(0, decision.JoinDeadlineUnixMs - now) + 60_000;
        var result = await _redis.GetDatabase().ScriptEvaluateAsync(
            RedisScripts.RecordDecision,
            [_keys.Decision(decision.EventId), _keys.Ingest(_keys.PartitionOf(decision.EventId))],
            [
                response.ToByteArray(),
                ttl,
                decision.EventId,
                decision.ToByteArray(),
                decision.JoinDeadlineUnixMs,
                decision.Policy,
                decision.DefaultReward.ToString("R", CultureInfo.InvariantCulture),
            ]);
        return result.IsNull ? null : DecideResponse.Parser.ParseFrom((byte[])result!);
    }

    /// <summary>
    /// Appends a batch as one entry per partition (rewards keep their order within a partition, which is all the
    /// join needs) and tells per reward whether its decision is known.
    /// </summary>
    private async Task<bool[]> SendRewardsAsync(List<RewardEvent> rewards)
    {
        // Reward indices grouped by partition, in arrival order within each group.
        var partitions = new int[rewards.Count];
        var perPartition = new int[_keys.Partitions + 1];
        for (var i = 0; i < rewards.Count; i++)
        {
            partitions[i] = _keys.PartitionOf(rewards[i].EventId);
            perPartition[partitions[i] + 1]++;
        }

        var streams = 0;
        for (var p = 0; p < _keys.Partitions; p++)
        {
            streams += perPartition[p + 1] > 0 ? 1 : 0;
            perPartition[p + 1] += perPartition[p];
        }

        var grouped = new int[rewards.Count];
        var next = perPartition[..^1];
        for (var i = 0; i < rewards.Count; i++)
        {
            grouped[next[partitions[i]]++] = i;
        }

        var keys = new RedisKey[streams + rewards.Count];
        var values = new RedisValue[streams];
        var stream = 0;
        for (var p = 0; p < _keys.Partitions; p++)
        {
            var group = grouped.AsSpan(perPartition[p], perPartition[p + 1] - perPartition[p]);
            if (group.Length > 0)
            {
                keys[stream] = _keys.Ingest(p);
                values[stream++] = PackedRewards.Pack(rewards, group);
            }
        }

        for (var i = 0; i < grouped.Length; i++)
        {
            keys[streams + i] = _keys.Decision(rewards[grouped[i]].EventId);
        }

        var result = await _redis.GetDatabase().ScriptEvaluateAsync(RedisScripts.RecordRewards, keys, values);
        var found = (RedisResult[])result!;
        var answers = new bool[rewards.Count];
        for (var i = 0; i < grouped.Length; i++)
        {
            answers[grouped[i]] = (long)found[i] == 1;
        }

        return answers;
    }

    private static async Task<int> SumAsync(Task<int>[] parts)
    {
        var sum = 0;
        foreach (var part in parts)
        {
            sum += await part;
        }

        return sum;
    }

    private Task<int> Enqueue(IReadOnlyList<RewardEvent> rewards)
    {
        var pending = new PendingRewards(rewards);
        ObjectDisposedException.ThrowIf(!_rewards.Writer.TryWrite(pending), this);
        return pending.Task;
    }

    private async Task WriteRewardsAsync(CancellationToken stopping)
    {
        var batch = new List<PendingRewards>();
        var rewards = new List<RewardEvent>(_options.MaxBatch);
        while (await _rewards.Reader.WaitToReadAsync(CancellationToken.None))
        {
            // What queued meanwhile goes in one call: up to MaxBatch rewards, or one caller's more.
            while (rewards.Count < _options.MaxBatch && _rewards.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                rewards.AddRange(pending.Rewards);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            await WriteRewardBatchAsync(batch, rewards, stopping);
            batch.Clear();
            rewards.Clear();
        }
    }

    private async Task WriteRewardBatchAsync(List<PendingRewards> batch, List<RewardEvent> rewards, CancellationToken stopping)
    {
        if (Direct)
        {
            try
            {
                var found = await SendRewardsAsync(rewards).WaitAsync(_options.OperationTimeout, stopping);
                var at = 0;
                foreach (var pending in batch)
                {
                    var count = 0;
                    for (var end = at + pending.Rewards.Count; at < end; at++)
                    {
                        count += found[at] ? 1 : 0;
                    }

                    pending.TrySetResult(count);
                }

                return;
            }
            catch (Exception exception) when (RedisFailures.IsUnavailable(exception))
            {
                RedisFeedbackLog.Spooling(_logger, rewards.Count, exception);
            }
        }

        try
        {
            await SpoolAsync(rewards.ConvertAll(SpoolRecord.ForReward), CancellationToken.None);
            foreach (var pending in batch)
            {
                pending.TrySetResult(0);
            }
        }
        catch (Exception exception) when (exception is FeedbackUnavailableException or IOException)
        {
            foreach (var pending in batch)
            {
                pending.TrySetException(exception);
            }
        }
    }

    private async Task SpoolAsync(IReadOnlyList<SpoolRecord> records, CancellationToken cancellationToken)
    {
        await _spool.AppendAsync(records, cancellationToken);
        _replayDue.Release();
    }

    private async Task ReplayAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                await _replayDue.WaitAsync(stopping);
                while (_spool.Length > 0)
                {
                    if (!_redis.IsConnected || !await TryReplayAsync(stopping))
                    {
                        await Task.Delay(ReplayRetryDelay, stopping);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Sends the spool's records after the replayed offset to Redis in order; false when Redis failed midway.</summary>
    private async Task<bool> TryReplayAsync(CancellationToken stopping)
    {
        var rewards = new List<RewardEvent>(_options.MaxBatch);
        long batchEnd = 0;
        try
        {
            await foreach (var (record, recordEnd) in _spool.ReadAsync(_replayedTo, stopping))
            {
                if (record.Reward is { } reward)
                {
                    rewards.Add(reward);
                    batchEnd = recordEnd;
                    if (rewards.Count == _options.MaxBatch)
                    {
                        await SendReplayedRewardsAsync(rewards, batchEnd, stopping);
                    }

                    continue;
                }

                await SendReplayedRewardsAsync(rewards, batchEnd, stopping);
                await SendDecisionAsync(record.Decision!, record.Response!).WaitAsync(_options.OperationTimeout, stopping);
                Replayed(recordEnd, 1);
            }

            await SendReplayedRewardsAsync(rewards, batchEnd, stopping);
        }
        catch (Exception exception) when (RedisFailures.IsUnavailable(exception))
        {
            RedisFeedbackLog.ReplayFailed(_logger, exception);
            return false;
        }

        // Emptied only when nothing was appended after the last replayed record; otherwise the next pass goes on there.
        if (await _spool.TryResetAsync(_replayedTo, stopping))
        {
            RedisFeedbackLog.Replayed(_logger, _replayedCount);
            _replayedTo = 0;
            _replayedCount = 0;
        }

        return true;
    }

    private async Task SendReplayedRewardsAsync(List<RewardEvent> rewards, long end, CancellationToken stopping)
    {
        if (rewards.Count == 0)
        {
            return;
        }

        await SendRewardsAsync(rewards).WaitAsync(_options.OperationTimeout, stopping);
        Replayed(end, rewards.Count);
        rewards.Clear();
    }

    private void Replayed(long end, int count)
    {
        _replayedTo = end;
        _replayedCount += count;
    }
}
