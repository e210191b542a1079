using System.Globalization;
using CsvHelper;
using Loops.Simulation.Running;

namespace Loops.Simulation.Reporting;

/// <summary>
/// Writes the per-step metrics as CSV: one row per strategy, seed and bucket of consecutive steps (the bucket size is
/// the horizon divided by the number of points), with the bucket's sums and the running totals.
/// </summary>
internal static class CsvMetricsWriter
{
    public static async Task WriteAsync(string path, ExperimentResult result, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path);
        await using var text = new StreamWriter(stream);
        await using var csv = new CsvWriter(text, CultureInfo.InvariantCulture);
        var personas = result.Scenario.Personas.Select(p => p.Name).ToList();
        foreach (var header in Headers(personas))
        {
            csv.WriteField(header);
        }

        await csv.NextRecordAsync().ConfigureAwait(false);
        foreach (var runs in result.ByStrategy)
        {
            foreach (var run in runs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await WriteRunAsync(csv, run, result, personas.Count).ConfigureAwait(false);
            }
        }
    }

    private static IEnumerable<string> Headers(IReadOnlyList<string> personas) =>
    [
        "strategy", "seed", "step_end", "day", "decisions", "net_value", "cumulative_net_value", "regret", "cumulative_regret",
        "bonus_spend", "cumulative_bonus_spend", "conversions", "share_best",
        .. personas.Select(p => "share_best_" + p),
    ];

    private static async Task WriteRunAsync(CsvWriter csv, RunResult run, ExperimentResult result, int personaCount)
    {
        var m = run.Metrics;
        double net = 0, regret = 0, spend = 0;
        for (var b = 0; b < m.BucketCount; b++)
        {
            net += m.Net[b];
            regret += m.Regret[b];
            spend += m.Spend[b];
            var end = Math.Min(result.Horizon, (b + 1) * m.BucketSize);
            var best = 0;
            for (var p = 0; p < personaCount; p++)
            {
                best += m.BestChosen[b, p];
            }

            csv.WriteField(run.Strategy);
            csv.WriteField(run.Seed);
            csv.WriteField(end);
            csv.WriteField(Format(end / (double)result.Scenario.Traffic.DecisionsPerDay));
            csv.WriteField(m.Decisions[b]);
            csv.WriteField(Format(m.Net[b]));
            csv.WriteField(Format(net));
            csv.WriteField(Format(m.Regret[b]));
            csv.WriteField(Format(regret));
            csv.WriteField(Format(m.Spend[b]));
            csv.WriteField(Format(spend));
            csv.WriteField(m.Conversions[b]);
            csv.WriteField(Format(Share(best, m.Decisions[b])));
            for (var p = 0; p < personaCount; p++)
            {
                csv.WriteField(Format(Share(m.BestChosen[b, p], m.PersonaDecisions[b, p])));
            }

            await csv.NextRecordAsync().ConfigureAwait(false);
        }
    }

    private static double Share(int count, int total) => total == 0 ? double.NaN : count / (double)total;

    private static string Format(double value) => double.IsFinite(value) ? Math.Round(value, 6).ToString("R", CultureInfo.InvariantCulture) : string.Empty;
}
