using System.Globalization;
using System.Runtime.CompilerServices;
using Loops.Contracts;
using Loops.Contracts.V1;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Loops.Feedback.Redis;

/// <summary>
/// Follows the joined stream by sequence number (entry id <c>{sequence}-0</c>): a reader keeps its own position, so
/// a trainer that restarts from its model snapshot's sequence learns each event exactly once into that model.
/// </summary>
internal sealed class JoinedStreamReader(
    IConnectionMultiplexer redis, RedisKeys keys, RedisFeedbackStoreOptions options, ILogger logger)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    public async IAsyncEnumerable<JoinedRecord> ReadAsync(long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = afterSequence;
        while (!cancellationToken.IsCancellationRequested)
        {
            var entries = await ReadAfterAsync(after, cancellationToken);
            if (entries is null || entries.Count == 0)
            {
                if (!await DelayAsync(entries is null ? RetryDelay : options.PollInterval, cancellationToken))
                {
                    yield break;
                }

                continue;
            }

            foreach (var entry in entries)
            {
                var sequence = entry.IdMilliseconds;
                if (sequence > after + 1)
                {
                    RedisFeedbackLog.JoinedGap(logger, after + 1, sequence - 1);
                }

                after = sequence;
                yield return new JoinedRecord(sequence, ToEvent(entry));
            }
        }
    }

    private static JoinedEvent ToEvent(StreamEntry entry)
    {
        var decision = JoinedEventDecoder.DecodeDecision((byte[])entry["d"]!);

        // Entries joined before first and last were kept have only the sum.
        var field = decision.RewardAggregation switch
        {
            RewardAggregation.First when entry["fv"].HasValue => "fv",
            RewardAggregation.Last when entry["lv"].HasValue => "lv",
            _ => "r",
        };
        return new JoinedEvent
        {
            Decision = decision,
            Reward = double.Parse((string)entry[field]!, CultureInfo.InvariantCulture),
            IsDefaultReward = entry["f"] == "1",
            RewardCount = (int)entry["c"],
            JoinedAtUnixMs = (long)entry["t"],
        };
    }

    /// <summary>The next entries after a sequence; null when Redis is unavailable, empty at the end of the stream.</summary>
    private async Task<List<StreamEntry>?> ReadAfterAsync(long after, CancellationToken cancellationToken)
    {
        try
        {
            var result = await redis.GetDatabase()
                .ExecuteAsync("XRANGE", (string)keys.Joined!, $"{after}-1", "+", "COUNT", options.MaxBatch)
                .WaitAsync(options.OperationTimeout, cancellationToken);
            return StreamEntry.ParseList(result);
        }
        catch (Exception exception) when (RedisFailures.IsUnavailable(exception))
        {
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
