using Loops.Simulation.Live;
using Loops.Simulation.Scenarios;
using Loops.Simulation.Strategies;
using Loops.Simulation.World;

namespace Loops.Simulation.Running;

/// <summary>
/// Runs every strategy on every seed. In-process runs go in parallel, each with its own strategy and randomness
/// keyed by its seed, so the results do not depend on scheduling. With <see cref="ExperimentOptions.Live"/> the
/// Loops strategies run against the service one after another (the baselines stay in-process).
/// </summary>
internal static class ExperimentRunner
{
    /// <summary>Runs the experiment.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="options">What to compare.</param>
    /// <param name="onProgress">Called with a strategy's name and a number of steps done (from several threads).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<ExperimentResult> RunAsync(
        Scenario scenario, ExperimentOptions options, Action<string, int>? onProgress, CancellationToken cancellationToken)
    {
        if (options.Days is { } days)
        {
            scenario = scenario with { Traffic = scenario.Traffic with { Days = days } };
        }

        foreach (var spec in options.Strategies.Where(s => s.Kind == StrategyKind.Loops && options.Live is null))
        {
            LoopsStrategy.Validate(spec.Policy!);
        }

        var environment = new ScenarioEnvironment(scenario);
        var factory = new StrategyFactory(environment);
        var bucketSize = Math.Max(1, (environment.Horizon + options.Points - 1) / Math.Max(1, options.Points));
        var strategies = options.Strategies;
        var results = new RunResult[strategies.Count, options.Seeds];
        var units = Enumerable.Range(0, strategies.Count * options.Seeds)
            .Select(u => (Strategy: u / options.Seeds, Seed: u % options.Seeds))
            .ToList();
        bool IsLive((int Strategy, int Seed) unit) => options.Live is not null && strategies[unit.Strategy].Kind == StrategyKind.Loops;

        var inProcess = units.Where(u => !IsLive(u)).ToList();
        _ = factory.BestFixed;
        await Task.Run(
            () => Parallel.ForEach(
                inProcess,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = cancellationToken },
                unit =>
                {
                    var spec = strategies[unit.Strategy];
                    var seed = options.BaseSeed + (ulong)unit.Seed;
                    var strategy = factory.Create(spec, seed);
                    results[unit.Strategy, unit.Seed] = SimulationRunner.Run(
                        environment, spec, strategy, unit.Seed, seed, bucketSize, steps => onProgress?.Invoke(spec.Name, steps), cancellationToken);
                }),
            cancellationToken).ConfigureAwait(false);

        foreach (var unit in units.Where(IsLive))
        {
            var spec = strategies[unit.Strategy];
            var seed = options.BaseSeed + (ulong)unit.Seed;
            results[unit.Strategy, unit.Seed] = await LiveLoopsRunner.RunAsync(
                environment, spec, unit.Strategy, unit.Seed, seed, bucketSize, options.Live!, steps => onProgress?.Invoke(spec.Name, steps), cancellationToken)
                .ConfigureAwait(false);
        }

        var byStrategy = Enumerable.Range(0, strategies.Count)
            .Select(s => (IReadOnlyList<RunResult>)Enumerable.Range(0, options.Seeds).Select(i => results[s, i]).ToList())
            .ToList();
        return new ExperimentResult(scenario, options, environment.Horizon, bucketSize, factory.BestFixed, byStrategy);
    }
}
