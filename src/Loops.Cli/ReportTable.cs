using System.Globalization;
using Loops.Core.Evaluation;
using Loops.Evaluation;
using Spectre.Console;

namespace Loops.Cli;

/// <summary>Prints an <see cref="EvaluationReport"/> as a table, plain text (no colours), for terminals and logs alike.</summary>
internal static class ReportTable
{
    public static void Write(EvaluationReport report, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        var d = report.Diagnostics;
        console.WriteLine($"logs:          {report.Source} ({report.Format.ToString().ToLowerInvariant()}, {d.Count} events)");
        console.WriteLine($"target:        {report.Target}");
        console.WriteLine($"logged mean:   {Format(report.LoggedMeanReward)} (the logging policy's on-policy value)");
        if (report.RewardModel is not null)
        {
            console.WriteLine($"reward model:  {report.RewardModel}");
        }

        string support = d.SupportSource == SupportSource.LoggedDistributions ? "exact" : "estimated from weights";
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"weights:       ESS {d.EffectiveSampleSize:F1} of {d.Count}, mean {Format(d.MeanWeight)}, max {Format(d.MaxWeight)}; target mass on logged p < {d.SupportThreshold:G3}: {d.LowSupportShare:P2} ({support})"));

        var first = report.Estimates.Count > 0 ? report.Estimates[0] : null;
        string level = first is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{first.ConfidenceLevel:P0} ");
        string method = first?.Interval.ToString().ToLowerInvariant() ?? string.Empty;
        var table = new Table().Border(TableBorder.Ascii2)
            .AddColumn("estimator")
            .AddColumn(new TableColumn("estimate").RightAligned())
            .AddColumn(new TableColumn(Markup.Escape($"{level}interval ({method})")).RightAligned())
            .AddColumn(new TableColumn("std. error").RightAligned());
        foreach (var estimate in report.Estimates)
        {
            table.AddRow(
                Markup.Escape(estimate.Estimator),
                Format(estimate.Estimate),
                Markup.Escape($"[{Format(estimate.Lower)}, {Format(estimate.Upper)}]"),
                Format(estimate.StandardError));
        }

        console.Write(table);
        foreach (var skipped in report.Skipped)
        {
            console.WriteLine($"skipped {skipped.Estimator}: {skipped.Reason}");
        }
    }

    private static string Format(double value) => value.ToString("G5", CultureInfo.InvariantCulture);
}
