using System.Reflection;
using System.Text.Json;
using Loops.Simulation.Running;

namespace Loops.Simulation.Reporting;

/// <summary>
/// Writes a single self-contained HTML report: the summary table and Chart.js plots (cumulative net value, regret,
/// bonus spend, share of the best action per persona over time, A/B test vs bandits). Chart.js is inlined from the
/// version locked in simulator/report, so the report needs no network to open.
/// </summary>
internal static class HtmlReportWriter
{
    public static async Task WriteAsync(string path, ExperimentResult result, ExperimentSummary summary, CancellationToken cancellationToken)
    {
        var template = Resource("Loops.Simulation.report.html");
        var chartJs = Resource("Loops.Simulation.chart.umd.js").Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        var data = JsonSerializer.Serialize(ReportData.Build(result, summary));
        var html = template
            .Replace("__TITLE__", System.Net.WebUtility.HtmlEncode(summary.Scenario), StringComparison.Ordinal)
            .Replace("__REPORT_DATA__", data, StringComparison.Ordinal)
            .Replace("__CHART_JS__", chartJs, StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, html, cancellationToken).ConfigureAwait(false);
    }

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from the build; run npm ci in simulator/report.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
