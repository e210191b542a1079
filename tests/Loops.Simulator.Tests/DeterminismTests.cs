using Loops.Simulation.Reporting;

namespace Loops.Simulator.Tests;

public sealed class DeterminismTests
{
    private const string Strategies = "uniform,best-fixed,ab-test,oracle,loops:epsilon_greedy:0.05";

    [Fact]
    public async Task The_same_seed_gives_the_same_json_summary_byte_for_byte()
    {
        var scenario = Scenarios.Load("welcome-bonus");

        var first = await Scenarios.RunAsync(scenario, Strategies, seeds: 3, days: 1);
        var second = await Scenarios.RunAsync(scenario, Strategies, seeds: 3, days: 1);

        Assert.Equal(JsonSummaryWriter.ToBytes(ExperimentSummary.Build(first)), JsonSummaryWriter.ToBytes(ExperimentSummary.Build(second)));
    }

    [Fact]
    public async Task Another_seed_gives_another_summary()
    {
        var scenario = Scenarios.Load("welcome-bonus");

        var first = await Scenarios.RunAsync(scenario, Strategies, seeds: 1, days: 0.5, baseSeed: 1);
        var second = await Scenarios.RunAsync(scenario, Strategies, seeds: 1, days: 0.5, baseSeed: 2);

        Assert.NotEqual(JsonSummaryWriter.ToBytes(ExperimentSummary.Build(first)), JsonSummaryWriter.ToBytes(ExperimentSummary.Build(second)));
    }

    [Fact]
    public async Task Parallelism_does_not_change_the_results()
    {
        var scenario = Scenarios.Load("churn-reactivation");
        var options = new Loops.Simulation.Running.ExperimentOptions
        {
            Strategies = Loops.Simulation.Strategies.StrategySpec.ParseList([Strategies]),
            Seeds = 2,
            Days = 0.5,
        };

        var serial = await Loops.Simulation.Running.ExperimentRunner.RunAsync(scenario, options with { MaxParallelism = 1 }, null, CancellationToken.None);
        var parallel = await Loops.Simulation.Running.ExperimentRunner.RunAsync(scenario, options with { MaxParallelism = 4 }, null, CancellationToken.None);

        Assert.Equal(JsonSummaryWriter.ToBytes(ExperimentSummary.Build(serial)), JsonSummaryWriter.ToBytes(ExperimentSummary.Build(parallel)));
    }
}
