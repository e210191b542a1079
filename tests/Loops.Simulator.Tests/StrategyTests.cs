using Loops.Simulation.Scenarios;
using Loops.Simulation.Strategies;
using Loops.Simulation.World;

namespace Loops.Simulator.Tests;

public sealed class StrategyTests
{
    [Fact]
    public void Strategy_names_parse_into_kinds_and_policies()
    {
        var specs = StrategySpec.ParseList(["uniform, ab-test,loops:epsilon_greedy:0.2:0.05"]);

        Assert.Equal([StrategyKind.Uniform, StrategyKind.AbTest, StrategyKind.Loops], specs.Select(s => s.Kind));
        Assert.Equal("epsilon_greedy", specs[2].Policy!.Algorithm);
        Assert.Equal(0.2, specs[2].Policy!.Epsilon);
        Assert.Equal(0.05, specs[2].Policy!.Learning.LearningRate);
    }

    [Theory]
    [InlineData("greedy")]
    [InlineData("loops")]
    [InlineData("loops:epsilon_greedy:lots")]
    [InlineData("uniform,uniform")]
    public void Bad_strategy_names_are_rejected(string names) =>
        Assert.Throws<FormatException>(() => StrategySpec.ParseList([names]));

    [Fact]
    public async Task An_unsupported_algorithm_fails_before_the_run_naming_the_field()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Scenarios.RunAsync(Scenarios.Load("welcome-bonus"), "loops:banana", 1, 0.1));

        Assert.Contains("policy.algorithm 'banana'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ab_test_stops_early_on_a_clear_winner_and_commits_to_it()
    {
        var spec = new AbTestSpec { Alpha = 0.05, Looks = 10 };
        var test = new AbTestStrategy(spec, actionCount: 3, maxTestSteps: 10_000, seed: 1);
        var context = new SimContext(0);
        for (var step = 0; step < 10_000 && test.Winner < 0; step++)
        {
            context.Step = step;
            var action = test.Choose(context, [], out var probability);
            Assert.Equal(test.Winner < 0 ? 1.0 / 3 : 1, probability);
            var reward = (action == 1 ? 2.0 : 1.0) + (CounterRandom.Normal(9, step, RandomStream.Revenue) * 0.5);
            test.Learn(context, action, probability, reward);
        }

        Assert.Equal(1, test.Winner);
        Assert.True(test.Significant);
        Assert.Equal(1000, test.StoppedAtStep);
        context.Step = 5000;
        Assert.Equal(1, test.Choose(context, [], out var committed));
        Assert.Equal(1, committed);
    }

    [Fact]
    public void The_ab_test_without_a_difference_runs_to_its_longest_length()
    {
        var test = new AbTestStrategy(new AbTestSpec { Looks = 5 }, actionCount: 2, maxTestSteps: 1000, seed: 1);
        var context = new SimContext(0);
        for (var step = 0; step <= 1000; step++)
        {
            context.Step = step;
            var action = test.Choose(context, [], out var probability);
            test.Learn(context, action, probability, CounterRandom.Normal(4, step, RandomStream.Revenue));
        }

        Assert.Equal(1000, test.StoppedAtStep);
        Assert.False(test.Significant);
    }

    [Fact]
    public async Task The_oracle_has_no_regret_and_loops_learns_to_beat_uniform()
    {
        // Six days: the 48-hour reward window leaves four days of learning.
        var result = await Scenarios.RunAsync(Scenarios.Load("welcome-bonus"), "uniform,oracle,loops:epsilon_greedy:0.05", seeds: 2, days: 6);
        var uniform = result.ByStrategy[0];
        var oracle = result.ByStrategy[1];
        var loops = result.ByStrategy[2];

        Assert.All(oracle, run => Assert.Equal(0, run.Metrics.TotalRegret));
        Assert.All(oracle.Zip(loops), pair => Assert.True(pair.First.Metrics.TotalRegret < pair.Second.Metrics.TotalRegret));
        Assert.True(loops.Sum(r => r.Metrics.TotalRegret) < uniform.Sum(r => r.Metrics.TotalRegret));
    }
}
