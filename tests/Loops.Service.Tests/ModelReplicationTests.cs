using System.Diagnostics;
using Loops.Contracts.V1;
using Xunit.Abstractions;

namespace Loops.Service.Tests;

/// <summary>Two replicas on one Redis: one trains each policy, both serve the versions it stores, and a live change on either reaches both.</summary>
public sealed class ModelReplicationTests(ITestOutputHelper output)
{
    private const string Name = "replicated";

    [Fact]
    public async Task A_version_made_live_on_one_replica_is_served_by_both_and_learning_is_shared()
    {
        using var redis = await RedisServer.StartAsync();
        await using var first = await StartReplicaAsync(redis);
        await using var second = await StartReplicaAsync(redis);
        await first.Client.UpsertPolicyAsync(new Policy { Name = Name, Epsilon = 0.2, RewardWindowSeconds = 1 });
        await WaitAsync(async () => (await second.Client.ListPoliciesAsync()).Any(p => p.Name == Name), "the policy reaches the second replica");

        // Decisions on both replicas; their joined events are learned once, by whichever replica holds the lease.
        // Two rounds, so that at least two versions are stored.
        for (var round = 1; round <= 2; round++)
        {
            await Task.WhenAll(
                new RetrainingEnvironment(first.Client, Name).RunAsync(150, seed: round, pauseMs: 0),
                new RetrainingEnvironment(second.Client, Name).RunAsync(150, seed: 10 + round, pauseMs: 0));
            var total = 300 * round;
            await WaitAsync(
                async () => (await first.Client.GetPolicyAsync(Name)).EventsLearned == total && (await second.Client.GetPolicyAsync(Name)).EventsLearned == total,
                $"both replicas serve a model that learned the {total} joined events exactly once");
        }

        var versions = await first.Client.ListModelsAsync(Name);
        Assert.True(versions.Count >= 2, $"{versions.Count} versions");
        Assert.Equal(versions.Select(v => v.Version), (await second.Client.ListModelsAsync(Name)).Select(v => v.Version));
        Assert.Equal(versions.Select(v => v.Version).Distinct().Count(), versions.Count);
        await WaitAsync(
            async () => (await first.Client.GetPolicyAsync(Name)).ModelVersion == (await second.Client.GetPolicyAsync(Name)).ModelVersion,
            "both replicas serve the same version");

        // An older version made live on one replica is served by the other; so is the rollback from it. The decisions
        // made meanwhile must not be learned: a new version would become live.
        await first.Client.UpsertPolicyAsync(new Policy { Name = Name, Epsilon = 0.2, RewardWindowSeconds = 600 });
        await WaitAsync(async () => (await second.Client.GetPolicyAsync(Name)).RewardWindowSeconds == 600, "the longer window reaches the second replica");
        var older = versions[0].Version;
        var watch = Stopwatch.StartNew();
        await second.Client.PromoteAsync(Name, older, "ops");
        await WaitAsync(async () => (await first.Client.DecideAsync(RetrainingEnvironment.Request(Name, "casual"))).ModelVersion == older, "the promotion reaches the first replica");
        output.WriteLine($"promotion served by the other replica after {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{watch.Elapsed}");

        var rolledBack = await first.Client.RollbackAsync(Name, "ops");
        Assert.NotEqual(older, rolledBack.Version);
        await WaitAsync(async () => (await second.Client.GetPolicyAsync(Name)).ModelVersion == rolledBack.Version, "the rollback reaches the second replica");
        Assert.Single(await first.Client.ListModelsAsync(Name), v => v.Live && v.Version == rolledBack.Version);

        // The audit trail is shared: each replica lists both administrators' actions, newest first.
        foreach (var replica in new[] { first, second })
        {
            var audit = await replica.Client.ListEvaluationsAsync(Name, 10);
            Assert.Equal(["rolled_back", "promoted"], audit.Take(2).Select(r => r.Decision));
            Assert.All(audit.Take(2), r => Assert.Equal("ops", r.Actor));
        }
    }

    [Fact]
    public async Task Ten_live_changes_on_alternating_replicas_under_load_fail_no_request_and_the_other_replica_trains_on_when_one_stops()
    {
        using var redis = await RedisServer.StartAsync();
        var first = await StartReplicaAsync(redis);
        await using var second = await StartReplicaAsync(redis);
        try
        {
            await first.Client.UpsertPolicyAsync(new Policy { Name = Name, RewardWindowSeconds = 1 });
            await WaitAsync(async () => (await second.Client.ListPoliciesAsync()).Any(p => p.Name == Name), "the policy reaches the second replica");
            for (var round = 1; round <= 2; round++)
            {
                await new RetrainingEnvironment(first.Client, Name).RunAsync(100, seed: 3 + round, pauseMs: 0);
                await WaitAsync(async () => (await first.Client.ListModelsAsync(Name)).Count >= round, $"{round} version(s) are stored");
            }

            var versions = (await first.Client.ListModelsAsync(Name)).Select(v => v.Version).Take(2).ToArray();

            // The load's decisions must not be joined and learned during the swaps: a new version would become live.
            await first.Client.UpsertPolicyAsync(new Policy { Name = Name, RewardWindowSeconds = 600 });
            await WaitAsync(async () => (await second.Client.GetPolicyAsync(Name)).RewardWindowSeconds == 600, "the longer window reaches the second replica");

            using var stop = new CancellationTokenSource();
            var failures = 0;
            var served = 0;
            var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
            {
                var client = worker % 2 == 0 ? first.Client : second.Client;
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await client.DecideAsync(RetrainingEnvironment.Request(Name, "whale"));
                        Interlocked.Increment(ref served);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            })).ToArray();
            for (var swap = 0; swap < 10; swap++)
            {
                var replica = swap % 2 == 0 ? first : second;
                await replica.Client.PromoteAsync(Name, versions[swap % 2], "load-test");
                await Task.Delay(100);
            }

            await stop.CancelAsync();
            await Task.WhenAll(load);
            Assert.Equal(0, failures);
            Assert.True(served > 100, $"served {served}");
            await WaitAsync(
                async () => (await first.Client.GetPolicyAsync(Name)).ModelVersion == versions[1] && (await second.Client.GetPolicyAsync(Name)).ModelVersion == versions[1],
                "both replicas end on the last version made live");
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The first replica is gone (its lease handed back): the second trains the events decided on it from now on.
        await second.Client.UpsertPolicyAsync(new Policy { Name = Name, RewardWindowSeconds = 1 });
        var before = (await second.Client.GetPolicyAsync(Name)).EventsLearned;
        await new RetrainingEnvironment(second.Client, Name).RunAsync(100, seed: 9, pauseMs: 0);
        await WaitAsync(async () => (await second.Client.GetPolicyAsync(Name)).EventsLearned >= before + 100, "the remaining replica learns on");
    }

    private static Task<ServiceHost> StartReplicaAsync(RedisServer redis) =>
        ServiceHost.StartAsync(
            null,
            "--redis", redis.Endpoint,
            "--Loops:SnapshotIntervalSeconds=1",
            "--Loops:Feedback:RedisOptions:JoinDelay=00:00:00.200");

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }
}
