using Loops.Contracts.V1;
using Loops.Core;
using Loops.Grpc;
using Loops.Training;

namespace Loops.Service.Tests;

/// <summary>Champion/challenger retraining, model versions, promotion, rollback and hot swap, over gRPC.</summary>
public sealed class RetrainingTests
{
    [Fact]
    public async Task Bad_challenger_is_never_promoted_and_a_better_one_is()
    {
        await using var host = await ServiceHost.StartAsync();
        const string name = "promotion";

        // The champion explores uniformly (a deliberately weak configuration); "bad" is uniform too, "good" exploits.
        var policy = new Policy { Name = name, Epsilon = 1, RewardWindowSeconds = 1 };
        policy.Retraining = new RetrainingSettings { EvaluateEveryEvents = 300, EvaluationWindowEvents = 300 };
        policy.Retraining.Challengers.Add(new Challenger { Name = "bad", Epsilon = 1 });
        policy.Retraining.Challengers.Add(new Challenger { Name = "good", Epsilon = 0.05 });
        await host.Client.UpsertPolicyAsync(policy);

        var environment = new RetrainingEnvironment(host.Client, name);
        await environment.RunAsync(2400, seed: 1);
        await environment.WaitLearnedAsync(2400);

        var records = (await host.Client.ListEvaluationsAsync(name, 1000)).Reverse().ToList();
        Assert.True(records.Count >= 3, $"evaluations: {records.Count}");
        Assert.All(records, r => Assert.Equal("trainer", r.Actor));
        Assert.All(records, r => Assert.Contains(r.Candidates, c => c.Name == "baseline" && c.Estimator == "dr" && c.N == 300));
        Assert.DoesNotContain(records, r => r.Decision == "promoted" && r.Reason.Contains("'bad'", StringComparison.Ordinal));
        var promotion = records.FindIndex(r => r.Decision == "promoted" && r.Reason.Contains("'good'", StringComparison.Ordinal));
        Assert.InRange(promotion, 0, 4);

        var promoted = records[promotion];
        var good = promoted.Candidates.Single(c => c.Name == "good");
        Assert.True(good.Lower > promoted.Candidates.Single(c => c.Name == "champion").Estimate);
        var models = await host.Client.ListModelsAsync(name);
        Assert.Contains(models, m => m.Version == promoted.ToVersion && m.Source == "promoted:good");
        Assert.Equal(0.05, (await host.Client.GetPolicyAsync(name)).Epsilon);
        Assert.True(File.Exists(Path.Combine(host.DataDirectory, "audit", name + ".jsonl")));
    }

    [Fact]
    public async Task The_baseline_is_the_policy_s_default_action_when_one_is_named()
    {
        await using var host = await ServiceHost.StartAsync();
        const string name = "default-action-baseline";

        // "bonus-small" is never a segment's best action: its reward rate is 0.2, below the uniform policy's 0.37.
        var policy = new Policy { Name = name, Epsilon = 1, RewardWindowSeconds = 1 };
        policy.Retraining = new RetrainingSettings { EvaluateEveryEvents = 300, EvaluationWindowEvents = 300, BaselineActionId = "bonus-small" };
        // A challenger as uniform as the champion: never promoted, so every window is logged uniformly.
        policy.Retraining.Challengers.Add(new Challenger { Name = "uniform", Epsilon = 1 });
        await host.Client.UpsertPolicyAsync(policy);

        var environment = new RetrainingEnvironment(host.Client, name);
        await environment.RunAsync(900, seed: 3);
        await environment.WaitLearnedAsync(900);

        var baselines = (await host.Client.ListEvaluationsAsync(name, 100))
            .Where(r => r.Decision is "kept" or "promoted")
            .Select(r => r.Candidates.Single(c => c.Name == "baseline"))
            .ToList();
        Assert.True(baselines.Count >= 2, $"evaluations: {baselines.Count}");
        Assert.InRange(baselines.Average(b => b.Estimate), 0.1, 0.3);
    }

    [Fact]
    public async Task After_a_rollback_an_event_gets_the_action_of_the_restored_version()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Loops:SnapshotIntervalSeconds=0.5");
        const string name = "rollback";
        var policy = new Policy { Name = name, Epsilon = 0.3, RewardWindowSeconds = 1 };
        await host.Client.UpsertPolicyAsync(policy);
        var environment = new RetrainingEnvironment(host.Client, name);

        await environment.RunAsync(300, seed: 2);
        await environment.WaitLearnedAsync(300);
        var restored = await WaitForVersionAsync(host, name, after: 0);
        await host.Client.PromoteAsync(name, restored, actor: "alice");
        await environment.RunAsync(300, seed: 3);
        await environment.WaitLearnedAsync(600);
        var newer = await WaitForVersionAsync(host, name, after: restored);
        await host.Client.PromoteAsync(name, newer, actor: "alice");

        // A long reward window from here on (the model is kept): the probes below never join, so nothing is learned.
        policy.RewardWindowSeconds = 600;
        await host.Client.UpsertPolicyAsync(policy);
        var back = await host.Client.RollbackAsync(name, actor: "bob");
        Assert.Equal(restored, back.Version);
        Assert.True(back.Live);

        var snapshot = await ModelFile.ReadAsync(Path.Combine(host.DataDirectory, "models", name, $"{restored}.model"), CancellationToken.None);
        Assert.NotNull(snapshot);
        var model = snapshot.Value.Policy;
        for (var i = 0; i < 40; i++)
        {
            var request = RetrainingEnvironment.Request(name, i % 2 == 0 ? "casual" : "whale", $"probe-{i}");
            var response = await host.Client.DecideAsync(request);
            Assert.Equal(restored, response.ModelVersion);
            Assert.Equal(Expected(model, request, name), response.ActionId);
        }

        var audit = await host.Client.ListEvaluationsAsync(name);
        Assert.Equal("rolled_back", audit[0].Decision);
        Assert.Equal("bob", audit[0].Actor);
        Assert.Equal(newer, audit[0].FromVersion);
        Assert.Equal("alice", audit[1].Actor);
    }

    [Fact]
    public async Task Ten_hot_swaps_under_load_fail_no_request()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Loops:SnapshotIntervalSeconds=0.5");
        const string name = "hot-swap";
        await host.Client.UpsertPolicyAsync(new Policy { Name = name, Epsilon = 0.2, RewardWindowSeconds = 1 });
        var environment = new RetrainingEnvironment(host.Client, name);
        await environment.RunAsync(200, seed: 4);
        await environment.WaitLearnedAsync(200);
        var first = await WaitForVersionAsync(host, name, after: 0);
        await environment.RunAsync(200, seed: 5);
        await environment.WaitLearnedAsync(400);
        var second = await WaitForVersionAsync(host, name, after: first);

        // The load's decisions must not be joined and learned during the swaps: a snapshot would renumber the live model.
        await host.Client.UpsertPolicyAsync(new Policy { Name = name, Epsilon = 0.2, RewardWindowSeconds = 600 });

        using var stop = new CancellationTokenSource();
        var failures = 0;
        var decisions = 0;
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var response = await host.Client.DecideAsync(RetrainingEnvironment.Request(name, worker % 2 == 0 ? "casual" : "whale"));
                    Assert.Contains(response.ActionId, RetrainingEnvironment.Actions);
                    Interlocked.Increment(ref decisions);
                }
                catch (GrpcException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        for (var swap = 0; swap < 10; swap++)
        {
            var version = swap % 2 == 0 ? first : second;
            var live = await host.Client.PromoteAsync(name, version);
            Assert.Equal(version, live.Version);
            Assert.Equal(version, (await host.Client.GetPolicyAsync(name)).ModelVersion);
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, failures);
        Assert.True(decisions > 0);
        Assert.Equal(10, (await host.Client.ListEvaluationsAsync(name)).Count(r => r.Decision == "promoted" && r.Actor == "admin"));
    }

    [Fact]
    public async Task Versions_live_pointer_and_audit_log_survive_a_restart()
    {
        const string name = "persisted";
        var dataDirectory = Directory.CreateTempSubdirectory("loops-test-").FullName;
        long promoted;
        IReadOnlyList<ModelVersion> before;
        await using (var host = await ServiceHost.StartAsync(dataDirectory, "--Loops:SnapshotIntervalSeconds=0.5"))
        {
            await host.Client.UpsertPolicyAsync(new Policy { Name = name, Epsilon = 0.2, RewardWindowSeconds = 1 });
            var environment = new RetrainingEnvironment(host.Client, name);
            await environment.RunAsync(100, seed: 8);
            await environment.WaitLearnedAsync(100);
            promoted = await WaitForVersionAsync(host, name, after: 0);
            await environment.RunAsync(100, seed: 9);
            await environment.WaitLearnedAsync(200);
            await WaitForVersionAsync(host, name, after: promoted);
            await host.Client.PromoteAsync(name, promoted, actor: "carol");
            before = await host.Client.ListModelsAsync(name);
        }

        await using (var host = await ServiceHost.StartAsync(dataDirectory))
        {
            Assert.Equal(promoted, (await host.Client.GetPolicyAsync(name)).ModelVersion);
            var after = await host.Client.ListModelsAsync(name);
            Assert.Equal(before.Select(m => m.Version), after.Select(m => m.Version));
            Assert.Equal(promoted, after.Single(m => m.Live).Version);
            var audit = await host.Client.ListEvaluationsAsync(name);
            Assert.Equal("carol", audit[0].Actor);
            Assert.Equal(promoted, audit[0].ToVersion);
        }

        // An exported model copied in under a new number is imported at start-up and can be promoted.
        var versionsDirectory = Path.Combine(dataDirectory, "models", name);
        File.Copy(Path.Combine(versionsDirectory, $"{promoted}.model"), Path.Combine(versionsDirectory, "1000.model"));
        await using (var host = await ServiceHost.StartAsync(dataDirectory))
        {
            Assert.Equal("imported", (await host.Client.ListModelsAsync(name)).Single(m => m.Version == 1000).Source);
            Assert.Equal(1000, (await host.Client.PromoteAsync(name, 1000)).Version);
            Assert.Equal(1000, (await host.Client.GetPolicyAsync(name)).ModelVersion);
        }
    }

    [Fact]
    public async Task A_worse_live_model_is_rolled_back_automatically()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Loops:SnapshotIntervalSeconds=0.5");
        const string name = "auto-rollback";
        var policy = new Policy { Name = name, Epsilon = 0.1, RewardWindowSeconds = 1, Learning = new LearningSettings { LearningRate = 0.2 } };
        policy.Retraining = new RetrainingSettings { EvaluateEveryEvents = 200, EvaluationWindowEvents = 200, AutoRollback = true };
        await host.Client.UpsertPolicyAsync(policy);

        // A change of learning settings starts a new, untrained model: its snapshot is a version that knows nothing.
        policy.Learning.LearningRate = 0.1;
        await host.Client.UpsertPolicyAsync(policy);
        var untrained = await WaitForVersionAsync(host, name, after: 0);
        var environment = new RetrainingEnvironment(host.Client, name);
        await environment.RunAsync(1200, seed: 10, pauseMs: 10);
        await environment.WaitLearnedAsync(1200);
        var trained = await WaitForVersionAsync(host, name, after: untrained);

        await host.Client.PromoteAsync(name, untrained, actor: "mallory");
        var rolledBack = false;
        for (var round = 0; round < 10 && !rolledBack; round++)
        {
            await environment.RunAsync(200, seed: 11 + round, pauseMs: 10);
            rolledBack = (await host.Client.ListEvaluationsAsync(name, 1000)).Any(e => e.Decision == "rolled_back" && e.Actor == "trainer");
        }

        Assert.True(rolledBack, "the untrained model was not rolled back");
        var record = (await host.Client.ListEvaluationsAsync(name, 1000)).First(e => e.Decision == "rolled_back");
        // The promoted model keeps learning online, so its snapshots may have renumbered it by then.
        Assert.True(record.FromVersion >= untrained);
        Assert.True(record.ToVersion >= trained);
        Assert.True(record.Candidates.Single(c => c.Name == "live").Upper < record.Candidates.Single(c => c.Name == "previous").Estimate);
    }

    [Fact]
    public async Task Invalid_retraining_settings_are_refused()
    {
        await using var host = await ServiceHost.StartAsync();
        var policy = new Policy { Name = "invalid-retraining" };
        policy.Retraining = new RetrainingSettings { EvaluateEveryEvents = 100, EvaluationWindowEvents = 200 };
        var error = await Assert.ThrowsAsync<GrpcException>(() => host.Client.UpsertPolicyAsync(policy));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);

        policy.Retraining = new RetrainingSettings();
        policy.Retraining.Challengers.Add(new Challenger { Name = "champion" });
        error = await Assert.ThrowsAsync<GrpcException>(() => host.Client.UpsertPolicyAsync(policy));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);

        error = await Assert.ThrowsAsync<GrpcException>(() => host.Client.RollbackAsync("missing"));
        Assert.Equal(StatusCode.NotFound, error.Status);
    }

    private static async Task<long> WaitForVersionAsync(ServiceHost host, string policy, long after)
    {
        for (var i = 0; i < 600; i++)
        {
            var models = await host.Client.ListModelsAsync(policy);
            if (models.Count > 0 && models[^1].Version > after && models[^1].Source == "online")
            {
                return models[^1].Version;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no model version of {policy} after {after}");
    }

    private static string Expected(Core.Policies.BanditPolicy model, DecideRequest request, string policy)
    {
        var count = request.Actions.Count;
        var allowed = Enumerable.Repeat(true, count).ToArray();
        var scores = new double[count];
        var probabilities = new double[count];
        using var features = DecisionFeatures.Encode(request.Context, request.Actions);
        var seed = Sampling.SeedOf(request.EventId, Sampling.SeedOf(policy));
        model.Decide(features, allowed, seed, scores, probabilities);
        return request.Actions[Sampling.Sample(probabilities, seed)].Id;
    }
}
