using System.Collections.Concurrent;
using System.Globalization;
using Loops.Client;
using Loops.Contracts.V1;
using StackExchange.Redis;

namespace Loops.Redis.Tests;

/// <summary>
/// Two service replicas on one Redis under steady Decide + Reward load; one replica is killed (kill -9) and started
/// again, and Redis is stopped and started again, mid-run. Progress, not time, moves the test from one fault to the
/// next; every wait has a generous bound.
/// </summary>
public sealed class FaultTests : IAsyncLifetime
{
    private const string Policy = "fault";
    private const int Workers = 4;
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(90);
    private readonly string _prefix = "fault" + Guid.NewGuid().ToString("N")[..8];
    private readonly ConcurrentDictionary<string, bool> _accepted = new(StringComparer.Ordinal);
    private RedisServer _redis = null!;
    private ServiceProcess[] _replicas = [];
    private LoopsClient[] _clients = [];

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        string[] arguments =
        [
            "--redis", _redis.Address,
            "--Loops:Feedback:RedisOptions:KeyPrefix=" + _prefix,
            "--Loops:Feedback:RedisOptions:ClaimIdleTime=00:00:02",
            "--Loops:SnapshotIntervalSeconds=1",
            "--Logging:LogLevel:Default=Warning",
        ];
        _replicas = [new ServiceProcess(arguments), new ServiceProcess(arguments)];
        await Task.WhenAll(_replicas.Select(r => r.StartAsync()));
        _clients = [.. _replicas.Select(r => NewClient(r.Address))];
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Every_accepted_decision_is_joined_once_with_each_acknowledged_reward_and_learned_once_by_every_replica()
    {
        var policy = new Policy { Name = Policy, Epsilon = 0.2, RewardWindowSeconds = 8 };
        policy.Actions.Add(new Contracts.V1.Action { Id = "a" });
        policy.Actions.Add(new Contracts.V1.Action { Id = "b" });
        await _clients[0].UpsertPolicyAsync(policy);
        await WaitUntilAsync(async () => await Succeeds(() => _clients[1].GetPolicyAsync(Policy)), "the policy reaches the second replica");

        using var stopLoad = new CancellationTokenSource();
        var load = Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => DriveAsync(w, stopLoad.Token))));

        await WaitForProgressAsync(150);
        await _replicas[0].KillAsync();
        await WaitForProgressAsync(150);
        await _replicas[0].StartAsync();
        Interlocked.Exchange(ref _clients[0], NewClient(_replicas[0].Address)).Dispose();
        await WaitForProgressAsync(150);
        await _redis.StopAsync();
        await WaitForProgressAsync(100);
        await _redis.StartAgainAsync();
        await WaitForProgressAsync(150);
        await stopLoad.CancelAsync();
        await load.WaitAsync(WaitLimit);

        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Address + ",abortConnect=false");
        var db = redis.GetDatabase();
        var accepted = _accepted.Count;
        await WaitUntilAsync(async () => (long)await db.StringGetAsync(_prefix + ":joined:seq") >= accepted, $"{accepted} decisions are joined");

        var joined = (RedisResult[])(await db.ExecuteAsync("XRANGE", _prefix + ":joined", "-", "+"))!;
        var byEvent = new Dictionary<string, (double Reward, long Count)>(StringComparer.Ordinal);
        foreach (var entry in joined)
        {
            var fields = (RedisResult[])((RedisResult[])entry!)[1]!;
            var values = new Dictionary<string, RedisResult>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Length; i += 2)
            {
                values[(string)fields[i]!] = fields[i + 1];
            }

            var decision = DecisionEvent.Parser.ParseFrom((byte[])values["d"]!);
            Assert.True(byEvent.TryAdd(decision.EventId, (double.Parse((string)values["r"]!, CultureInfo.InvariantCulture), (long)values["c"])),
                $"event {decision.EventId} was joined twice");
        }

        Assert.Equal(accepted, byEvent.Count);
        Assert.All(_accepted.Keys, id => Assert.True(byEvent.ContainsKey(id), $"accepted decision {id} was not joined"));
        Assert.All(byEvent, pair => Assert.Equal((1.0, 1L), pair.Value));

        foreach (var index in new[] { 0, 1 })
        {
            await WaitUntilAsync(
                async () => (await _clients[index].GetPolicyAsync(Policy)).EventsLearned == accepted,
                $"replica {index} learned from the {accepted} joined events");
        }
    }

    private static LoopsClient NewClient(Uri address) => new(address, new LoopsClientOptions { Timeout = TimeSpan.FromSeconds(5) });

    private static async Task<bool> Succeeds(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {WaitLimit.TotalSeconds} s in vain until {what}.");
            }

            await Task.Delay(100);
        }
    }

    private Task WaitForProgressAsync(int decisions)
    {
        var target = _accepted.Count + decisions;
        return WaitUntilAsync(() => Task.FromResult(_accepted.Count >= target), $"{decisions} more decisions are accepted");
    }

    /// <summary>Decide, then reward once (value 1, a reward id of its own), each retried on either replica until acknowledged.</summary>
    private async Task DriveAsync(int worker, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var eventId = $"w{worker}-{i}";
            var request = new DecideRequest { Policy = Policy, EventId = eventId, UserId = "u" + i };
            request.Context.Add(new Feature { Namespace = "user", Name = "n", Number = i % 7 });
            await RetryAsync(worker + i, client => client.DecideAsync(request));
            _accepted[eventId] = true;
            await RetryAsync(worker + i + 1, client => client.RewardAsync(new RewardRequest { EventId = eventId, Value = 1, RewardId = "r-" + eventId }));
        }
    }

    private async Task RetryAsync(int first, Func<LoopsClient, Task> call)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        for (var attempt = first; ; attempt++)
        {
            if (await Succeeds(() => call(Volatile.Read(ref _clients[attempt % _clients.Length]))))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("A call was not acknowledged by either replica in time.");
            }

            await Task.Delay(50);
        }
    }
}
