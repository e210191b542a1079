using System.Globalization;
using Loops.Simulation.Reporting;
using Spectre.Console;

namespace Loops.Simulator;

/// <summary>Prints a run's summary as a table: each total with its 95% interval over seeds.</summary>
internal static class SummaryTable
{
    public static void Write(ExperimentSummary summary)
    {
        var table = new Table()
            .Title($"{Markup.Escape(summary.Scenario)}: {summary.Horizon:N0} decisions × {summary.Seeds} seeds ({summary.Mode})")
            .AddColumns("strategy", "net value", "minus A/B test", "regret", "bonus spend", "conversion", "best action");
        foreach (var s in summary.Strategies)
        {
            table.AddRow(
                Markup.Escape(s.Name),
                Money(s.NetValue),
                s.NetValueVersusAbTest is { } versus ? (versus.ExcludesZero ? "[bold]" + Money(versus) + "[/]" : Money(versus)) : "",
                Money(s.Regret),
                Money(s.BonusSpend),
                Percent(s.ConversionRate),
                Percent(s.ShareOfBestAction));
        }

        AnsiConsole.Write(table);
    }

    private static string Money(Interval i) => string.Format(CultureInfo.InvariantCulture, "{0:N0} [[{1:N0}, {2:N0}]]", i.Mean, i.Low, i.High);

    private static string Percent(Interval i) => string.Format(CultureInfo.InvariantCulture, "{0:P1} [[{1:P1}, {2:P1}]]", i.Mean, i.Low, i.High);
}
