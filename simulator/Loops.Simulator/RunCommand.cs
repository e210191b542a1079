using System.CommandLine;
using System.Globalization;
using Loops.Simulation.Live;
using Loops.Simulation.Reporting;
using Loops.Simulation.Running;
using Loops.Simulation.Scenarios;
using Loops.Simulation.Strategies;
using Spectre.Console;

namespace Loops.Simulator;

/// <summary>
/// <c>run</c>: compares strategies on a scenario over several seeds, in-process or with the Loops strategies on a
/// live service, and writes report.html, metrics.csv and summary.json.
/// </summary>
internal static class RunCommand
{
    private const string DefaultStrategies = "uniform,best-fixed,ab-test,oracle,loops:epsilon_greedy:0.05";

    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "A shipped scenario's name (see 'list') or a scenario file." };
        var strategies = new Option<string?>("--strategies") { Description = $"Comma-separated strategies; default the scenario's, else {DefaultStrategies}." };
        var seeds = new Option<int?>("--seeds") { Description = "How many seeds; default the scenario's." };
        var seed = new Option<ulong>("--seed") { Description = "The first seed.", DefaultValueFactory = _ => 1 };
        var days = new Option<double?>("--days") { Description = "Override the scenario's horizon in days." };
        var points = new Option<int>("--points") { Description = "Points of the per-step metrics (buckets of steps).", DefaultValueFactory = _ => 200 };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where to write report.html, metrics.csv and summary.json; default sim-out/SCENARIO." };
        var target = TargetOption.Create(required: false);
        var stepMs = new Option<double>("--step-ms") { Description = "Live mode: real milliseconds per simulated decision (delays and the reward window scale with it).", DefaultValueFactory = _ => 1 };
        var concurrency = new Option<int>("--concurrency") { Description = "Live mode: decisions in flight.", DefaultValueFactory = _ => 16 };
        var command = new Command("run", "Compare strategies on a scenario; write an HTML report, per-step CSV metrics and a JSON summary.")
        {
            scenario, strategies, seeds, seed, days, points, output, target, stepMs, concurrency,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var loaded = await ScenarioCatalog.LoadAsync(result.GetRequiredValue(scenario), cancellationToken);
                var options = new ExperimentOptions
                {
                    Strategies = StrategySpec.ParseList([result.GetValue(strategies) ?? (loaded.Strategies.Count > 0 ? string.Join(',', loaded.Strategies) : DefaultStrategies)]),
                    Seeds = result.GetValue(seeds) ?? loaded.Seeds,
                    BaseSeed = result.GetValue(seed),
                    Days = result.GetValue(days),
                    Points = result.GetValue(points),
                    Live = result.GetValue(target) is { } uri
                        ? new LiveOptions
                        {
                            Target = uri,
                            StepMilliseconds = result.GetValue(stepMs),
                            Concurrency = result.GetValue(concurrency),
                            RunId = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6],
                        }
                        : null,
                };
                var directory = result.GetValue(output) ?? new DirectoryInfo(Path.Combine("sim-out", loaded.Name));
                return await RunAsync(loaded, options, directory, cancellationToken);
            }
            catch (Exception exception) when (exception is ScenarioException or FormatException or ArgumentException)
            {
                await Console.Error.WriteLineAsync(exception.Message);
                return 2;
            }
        });
        return command;
    }

    public static async Task<int> RunAsync(Scenario scenario, ExperimentOptions options, DirectoryInfo directory, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var result = await RunWithProgressAsync(scenario, options, cancellationToken);
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        var summary = ExperimentSummary.Build(result);
        directory.Create();
        await JsonSummaryWriter.WriteAsync(Path.Combine(directory.FullName, "summary.json"), summary, cancellationToken);
        await CsvMetricsWriter.WriteAsync(Path.Combine(directory.FullName, "metrics.csv"), result, cancellationToken);
        await HtmlReportWriter.WriteAsync(Path.Combine(directory.FullName, "report.html"), result, summary, cancellationToken);
        SummaryTable.Write(summary);
        var decisions = (double)result.Horizon * options.Seeds * options.Strategies.Count;
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "{0:N0} simulated decisions in {1:F1} s ({2:N0} per minute, {3} mode)", decisions, elapsed.TotalSeconds, decisions / elapsed.TotalMinutes, summary.Mode);
        AnsiConsole.MarkupLine("Wrote [link]{0}[/], metrics.csv and summary.json", Markup.Escape(Path.Combine(directory.FullName, "report.html")));
        return 0;
    }

    private static async Task<ExperimentResult> RunWithProgressAsync(Scenario scenario, ExperimentOptions options, CancellationToken cancellationToken)
    {
        var horizon = (double)scenario.Traffic.DecisionsPerDay * (options.Days ?? scenario.Traffic.Days);
        ExperimentResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var tasks = options.Strategies.ToDictionary(
                    s => s.Name,
                    s => progress.AddTask(Markup.Escape(s.Name), maxValue: Math.Max(1, horizon * options.Seeds)));
                result = await ExperimentRunner.RunAsync(scenario, options, (name, steps) => tasks[name].Increment(steps), cancellationToken);
                foreach (var task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                }
            });
        return result!;
    }
}
