using System.CommandLine;
using System.Globalization;
using Loops.Simulation.Running;
using Loops.Simulation.Scenarios;
using Loops.Simulation.Strategies;
using Spectre.Console;

namespace Loops.Simulator;

/// <summary>
/// <c>bench</c>: measures in-process simulation speed on a 10-action, 30-feature scenario with an ε-greedy Loops
/// policy (the real learner: encode, predict, explore, sample, learn), one seed per core.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var decisions = new Option<int>("--decisions") { Description = "Decisions per seed.", DefaultValueFactory = _ => 500_000 };
        var seeds = new Option<int>("--seeds") { Description = "Seeds run in parallel (one per core by default).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var strategy = new Option<string>("--strategy") { Description = "The strategy measured.", DefaultValueFactory = _ => "loops:epsilon_greedy:0.05" };
        var command = new Command("bench", "Measure in-process simulated decisions per minute (10 actions × 30 features, ε-greedy).") { decisions, seeds, strategy };
        command.SetAction(async (result, cancellationToken) =>
        {
            var scenario = BenchmarkScenario.Create(result.GetValue(decisions));
            var options = new ExperimentOptions
            {
                Strategies = StrategySpec.ParseList([result.GetRequiredValue(strategy)]),
                Seeds = result.GetValue(seeds),
                Points = 10,
            };

            // A short warm-up, so the figure is the steady state rather than the JIT.
            await ExperimentRunner.RunAsync(BenchmarkScenario.Create(20_000), options with { Seeds = 1 }, null, cancellationToken);
            var started = TimeProvider.System.GetTimestamp();
            var run = await ExperimentRunner.RunAsync(scenario, options, null, cancellationToken);
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            var total = (double)run.Horizon * options.Seeds;
            AnsiConsole.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "{0:N0} decisions ({1} seeds × {2:N0}, {3}) in {4:F2} s: {5:N0} decisions per minute on {6} cores",
                total, options.Seeds, run.Horizon, options.Strategies[0].Name, elapsed.TotalSeconds, total / elapsed.TotalMinutes, Environment.ProcessorCount));
            return 0;
        });
        return command;
    }
}
