using Loops.Client;
using Loops.Contracts.V1;
using Loops.Simulation.Running;
using Loops.Simulation.Strategies;
using Loops.Simulation.World;

namespace Loops.Simulation.Live;

/// <summary>
/// Runs a Loops strategy on a live service through the real Decide and Reward path: creates a policy with a name
/// unique to the run, paces decisions in scaled time with bounded concurrency, reports each outcome after its
/// scaled delay (a decision's own cost at once, a conversion's net value when it happens), and then scores the
/// service's choices with the same true responses as the in-process run.
/// </summary>
internal static class LiveLoopsRunner
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    public static async Task<RunResult> RunAsync(
        ScenarioEnvironment environment,
        StrategySpec spec,
        int strategyIndex,
        int seedIndex,
        ulong seed,
        int bucketSize,
        LiveOptions options,
        Action<int>? onProgress,
        CancellationToken cancellationToken)
    {
        using var client = new LoopsClient(options.Target, new LoopsClientOptions { Timeout = CallTimeout });
        var policy = spec.Policy!.Clone();
        policy.Name = $"sim-{environment.Scenario.Name}-{options.RunId}-{strategyIndex}-{seedIndex}";
        policy.RewardWindowSeconds = Math.Max(0.001, environment.RewardWindowSteps * options.StepMilliseconds / 1000);
        await client.UpsertPolicyAsync(policy, cancellationToken).ConfigureAwait(false);

        var actions = environment.NewActions();
        var actionIndex = actions.Select((a, i) => (a.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var chosen = new int[environment.Horizon];
        var timeProvider = options.TimeProvider;
        var start = timeProvider.GetTimestamp();
        using var stopRewards = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stream = client.StartRewardStream(cancellationToken);
        var scheduler = new RewardScheduler(stream, timeProvider, start);
        var rewardLoop = scheduler.RunAsync(TimeSpan.FromMilliseconds(Math.Max(1, options.StepMilliseconds)), stopRewards.Token);

        await Parallel.ForEachAsync(
            Enumerable.Range(0, environment.Horizon),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken },
            async (step, token) =>
            {
                var wait = (step * options.StepMilliseconds) - timeProvider.GetElapsedTime(start).TotalMilliseconds;
                if (wait > 1)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), timeProvider, token).ConfigureAwait(false);
                }

                var context = environment.NewContext();
                environment.DrawContext(seed, step, context);
                var request = Request(environment, context, actions, policy.Name, seedIndex, step);
                var response = await client.DecideAsync(request, token).ConfigureAwait(false);
                var action = actionIndex[response.ActionId];
                chosen[step] = action;
                Report(environment, scheduler, seed, context, action, request.EventId, options.StepMilliseconds, timeProvider.GetElapsedTime(start).TotalMilliseconds);
                if ((step + 1) % 1024 == 0)
                {
                    onProgress?.Invoke(1024);
                }
            }).ConfigureAwait(false);

        await stopRewards.CancelAsync().ConfigureAwait(false);
        await rewardLoop.ConfigureAwait(false);
        await stream.CompleteAsync().ConfigureAwait(false);
        onProgress?.Invoke(environment.Horizon % 1024);
        return new RunResult(spec.Name, seedIndex, seed, Score(environment, seed, chosen, bucketSize), null);
    }

    private static DecideRequest Request(ScenarioEnvironment environment, SimContext context, Contracts.V1.Action[] actions, string policy, int seedIndex, int step)
    {
        var features = environment.NewFeatures();
        environment.WriteFeatures(context, features);
        var request = new DecideRequest { Policy = policy, EventId = $"{policy}-{step}", UserId = $"player-{seedIndex}-{step}" };
        request.Context.Add(features);
        request.Actions.Add(actions);
        return request;
    }

    private static void Report(
        ScenarioEnvironment environment, RewardScheduler scheduler, ulong seed, SimContext context, int action, string eventId, double stepMilliseconds, double nowMilliseconds)
    {
        var conversion = new double[environment.ActionCount];
        var revenue = new double[environment.ActionCount];
        environment.Respond(context, conversion, revenue);
        var outcome = environment.Realize(seed, context.Step, action, conversion[action], revenue[action], context.Persona);
        if (environment.CostOnDecision(action) > 0)
        {
            scheduler.Schedule(nowMilliseconds, eventId, -environment.CostOnDecision(action));
        }

        if (outcome.Converted)
        {
            scheduler.Schedule((context.Step + outcome.DelaySteps) * stepMilliseconds, eventId, outcome.Revenue - environment.CostOnConversion(action));
        }
    }

    // The service's choices scored with the same true responses and luck as an in-process run of the same seed.
    private static RunMetrics Score(ScenarioEnvironment environment, ulong seed, int[] chosen, int bucketSize)
    {
        var metrics = new RunMetrics(environment.Horizon, bucketSize, environment.PersonaCount, environment.ActionCount);
        var context = environment.NewContext();
        var conversion = new double[environment.ActionCount];
        var revenue = new double[environment.ActionCount];
        var expectedNet = new double[environment.ActionCount];
        for (var step = 0; step < chosen.Length; step++)
        {
            environment.DrawContext(seed, step, context);
            SimulationRunner.Evaluate(environment, context, conversion, revenue, expectedNet);
            var best = OracleStrategy.Best(expectedNet);
            var action = chosen[step];
            var outcome = environment.Realize(seed, step, action, conversion[action], revenue[action], context.Persona);
            metrics.Record(step, context.Persona, action, best, expectedNet[best] - expectedNet[action], outcome);
        }

        return metrics;
    }
}
