using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Loops.Simulation.Reporting;

namespace Loops.Simulator.Tests;

public sealed partial class ReportTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly string _directory = Directory.CreateTempSubdirectory("loops-sim-report-").FullName;

    [Fact]
    public async Task The_html_report_renders_every_chart_in_headless_chromium_without_console_errors()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
        var result = await Scenarios.RunAsync(Scenarios.Load("welcome-bonus"), "uniform,ab-test,oracle,loops:epsilon_greedy:0.05", seeds: 2, days: 1);
        var report = Path.Combine(_directory, "report.html");
        await HtmlReportWriter.WriteAsync(report, result, ExperimentSummary.Build(result), CancellationToken.None);

        var (dom, log) = await DumpDomAsync(report);

        // The report's own script records errors and how many charts have data; Chromium's log has console messages.
        var status = StatusLine().Match(dom);
        Assert.True(status.Success, "no report status in the rendered page:\n" + dom[..Math.Min(dom.Length, 2000)]);
        Assert.Equal("{\"charts\":8,\"rendered\":8,\"canvases\":8,\"errors\":[]}", status.Groups["status"].Value);
        Assert.Contains("data-report-status=\"ok\"", dom, StringComparison.Ordinal);
        Assert.DoesNotMatch(ConsoleError(), log);
        Assert.DoesNotContain("http://", File.ReadAllText(report).Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_csv_has_a_row_per_strategy_seed_and_bucket()
    {
        var result = await Scenarios.RunAsync(Scenarios.Load("referral-incentive"), "uniform,oracle", seeds: 2, days: 0.5);
        var path = Path.Combine(_directory, "metrics.csv");

        await CsvMetricsWriter.WriteAsync(path, result, CancellationToken.None);

        var lines = File.ReadAllLines(path);
        Assert.StartsWith("strategy,seed,step_end,day,decisions,net_value,cumulative_net_value,regret", lines[0], StringComparison.Ordinal);
        Assert.Equal(1 + (2 * 2 * result.ByStrategy[0][0].Metrics.BucketCount), lines.Length);
        Assert.EndsWith(result.Horizon + ",", lines[^1].Split(',')[2] + ",", StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(string Dom, string Log)> DumpDomAsync(string report)
    {
        var startInfo = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--user-data-dir=" + Path.Combine(_directory, "profile"),
            "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", "--dump-dom", new Uri(report).AbsoluteUri,
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var log = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var dom = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        lock (log)
        {
            return (dom, log.ToString());
        }
    }

    [GeneratedRegex("<pre id=\"report-status\"[^>]*>(?<status>[^<]*)</pre>")]
    private static partial Regex StatusLine();

    // Chromium logs page console messages as "CONSOLE(line)" or ":CONSOLE:" entries; errors and uncaught exceptions are what matter.
    [GeneratedRegex(@"CONSOLE.*(Uncaught|Error|error)|Uncaught ")]
    private static partial Regex ConsoleError();
}
