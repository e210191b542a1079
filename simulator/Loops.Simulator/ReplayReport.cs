using System.Globalization;
using Loops.Core.Evaluation;
using Loops.Evaluation;
using Loops.Simulation.Replay;
using Spectre.Console;

namespace Loops.Simulator;

/// <summary>Runs the replay method and the off-policy estimators for each policy and prints one table.</summary>
internal static class ReplayReport
{
    /// <summary>The baselines and several Loops algorithms.</summary>
    public const string DefaultPolicies = "uniform,logging,best-logged,loops:epsilon_greedy:0.1,loops:squarecb,loops:linucb,loops:thompson";

    private const string NotAvailable = "—";

    public static void Write(string source, LoggedData logs, IReadOnlyList<string> names, ulong seed, CancellationToken cancellationToken)
    {
        var predictions = OpeEvaluator.FitRewardModel(logs, cancellationToken);
        var table = new Table()
            .Title(string.Create(CultureInfo.InvariantCulture, $"Replay and OPE on {Markup.Escape(source)}: {logs.Events.Count:N0} events, logged mean reward {logs.MeanReward:F5}"))
            .AddColumns("policy", "replay matched", "replay value [[95%]]");
        foreach (var estimator in OpeEvaluator.Default)
        {
            table.AddColumn($"{estimator.Name} [[95%]]");
        }

        foreach (var name in names)
        {
            var row = new List<string> { Markup.Escape(name) };
            row.AddRange(Replay(name, logs, seed));
            row.AddRange(Ope(name, logs, predictions, seed));
            table.AddRow([.. row]);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]Learning Loops policies: replay learns from matched events only; OPE is progressive (each event's distribution before learning from it).[/]");
    }

    private static IEnumerable<string> Replay(string name, LoggedData logs, ulong seed)
    {
        try
        {
            var replay = ReplayEvaluator.Evaluate(name, logs.Events, ReplayPolicies.Create(name, logs.Events, seed), seed);
            return
            [
                replay.Matched.ToString("N0", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{replay.Value:F5} [[{replay.Low:F5}, {replay.High:F5}]]"),
            ];
        }
        catch (InvalidOperationException)
        {
            // The replay method needs every action's logged probability; OPE still runs on the chosen one's.
            return [NotAvailable, NotAvailable];
        }
    }

    private static IEnumerable<string> Ope(string name, LoggedData logs, RewardPredictions predictions, ulong seed)
    {
        try
        {
            var policy = ReplayPolicies.Create(name, logs.Events, seed);
            var result = OpeEvaluator.Evaluate(name, logs, predictions, policy, OpeEvaluator.Default, IntervalOptions.Default);
            return result.Estimates.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Estimate:F5} [[{e.Lower:F5}, {e.Upper:F5}]]"));
        }
        catch (InvalidOperationException)
        {
            // Only the 'logging' policy fails here: it needs the logger's full distribution.
            return OpeEvaluator.Default.Select(_ => NotAvailable);
        }
    }
}
