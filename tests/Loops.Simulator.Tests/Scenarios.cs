using Loops.Simulation.Running;
using Loops.Simulation.Scenarios;
using Loops.Simulation.Strategies;

namespace Loops.Simulator.Tests;

/// <summary>Shipped scenarios shortened for fast tests, and quick runs of them.</summary>
internal static class Scenarios
{
    public static Scenario Load(string name) => ScenarioLoader.Parse(File.ReadAllText(TestPaths.Scenario(name)), name);

    public static Task<ExperimentResult> RunAsync(Scenario scenario, string strategies, int seeds, double days, ulong baseSeed = 1) =>
        ExperimentRunner.RunAsync(
            scenario,
            new ExperimentOptions { Strategies = StrategySpec.ParseList([strategies]), Seeds = seeds, Days = days, BaseSeed = baseSeed, Points = 20 },
            null,
            CancellationToken.None);
}
