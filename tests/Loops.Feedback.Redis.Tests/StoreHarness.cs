using Loops.Contracts.V1;
using Loops.Redis.Tests;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Loops.Feedback.Redis.Tests;

/// <summary>Stores over one Redis under a key prefix of their own, on a fake clock, and helpers to drive them.</summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly List<RedisFeedbackStore> _stores = [];
    private ConnectionMultiplexer? _redis;
    private readonly string _spoolRoot = Directory.CreateTempSubdirectory("loops-spool-").FullName;

    public StoreHarness(RedisServer server)
    {
        Server = server;
    }

    public RedisServer Server { get; }

    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8];

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public RedisFeedbackStoreOptions Options(string spool = "a") => new()
    {
        Configuration = Server.Address,
        KeyPrefix = Prefix,
        Partitions = 2,
        SpoolDirectory = Path.Combine(_spoolRoot, spool),
        JoinDelay = TimeSpan.Zero,
        PollInterval = TimeSpan.FromMilliseconds(10),
        ClaimIdleTime = TimeSpan.FromMilliseconds(500),
        OperationTimeout = TimeSpan.FromSeconds(2),
    };

    public async Task<RedisFeedbackStore> OpenAsync(RedisFeedbackStoreOptions? options = null)
    {
        var store = await RedisFeedbackStore.OpenAsync(
            options ?? Options(), Clock, new ConsoleErrorLogger<RedisFeedbackStore>(), CancellationToken.None).WaitAsync(Timeout);
        _stores.Add(store);
        return store;
    }

    public DecisionEvent Decision(string eventId, TimeSpan window, double defaultReward = 0)
    {
        var now = Clock.GetUtcNow();
        var decision = new DecisionEvent
        {
            EventId = eventId,
            Policy = "p",
            TimestampUnixMs = now.ToUnixTimeMilliseconds(),
            ChosenIndex = 0,
            JoinDeadlineUnixMs = (now + window).ToUnixTimeMilliseconds(),
            DefaultReward = defaultReward,
        };
        decision.Actions.Add(new Contracts.V1.Action { Id = "a" });
        decision.Probabilities.Add(1.0);
        return decision;
    }

    public RewardEvent Reward(string eventId, double value, string rewardId = "") => new()
    {
        EventId = eventId,
        Value = value,
        RewardId = rewardId,
        TimestampUnixMs = Clock.GetUtcNow().ToUnixTimeMilliseconds(),
    };

    /// <summary>Reads joined events until <paramref name="count"/> arrived (or fails after the timeout).</summary>
    public static async Task<List<JoinedRecord>> ReadJoinedAsync(IFeedbackStore store, int count, long after = 0)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var records = new List<JoinedRecord>();
        await foreach (var record in store.ReadJoinedAsync(after, timeout.Token))
        {
            records.Add(record);
            if (records.Count == count)
            {
                return records;
            }
        }

        throw new TimeoutException($"Only {records.Count} of {count} joined events arrived.");
    }

    /// <summary>Waits until a condition on Redis holds, polling (no timing assumption beyond the generous timeout).</summary>
    public async Task WaitUntilAsync(Func<IDatabase, Task<bool>> condition)
    {
        var redis = await ConnectAsync();
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition(redis.GetDatabase()))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold in time.");
            }

            await Task.Delay(20);
        }
    }

    public async Task<T> WithRedisAsync<T>(Func<IDatabase, Task<T>> action)
    {
        var redis = await ConnectAsync();
        return await action(redis.GetDatabase());
    }

    private async Task<ConnectionMultiplexer> ConnectAsync() =>
        _redis ??= await ConnectionMultiplexer.ConnectAsync(Server.Address + ",abortConnect=false");

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        _redis?.Dispose();

        try
        {
            Directory.Delete(_spoolRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
