using System.Text.Json;
using Loops.Cli;

namespace Loops.Evaluation.Tests;

/// <summary><c>loops evaluate</c> run in-process.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Evaluate_prints_a_table_of_estimates_with_intervals()
    {
        var (exitCode, output, error) = await RunAsync("evaluate", "--logs", ObdData.Path("random", "men"), "--target", "uniform");

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        Assert.Contains("men.csv (obd, 10000 events)", output, StringComparison.Ordinal);
        Assert.Contains("95 % interval (normal)", output, StringComparison.Ordinal);
        foreach (var estimator in new[] { "ips", "snips", "dm", "dr", "sndr", "switch-dr" })
        {
            Assert.Contains($"| {estimator} ", output, StringComparison.Ordinal);
        }

        Assert.Contains("|    0.0046 | [0.0032737, 0.0059263] |", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_writes_json_to_the_standard_output()
    {
        var (exitCode, output, _) = await RunAsync(
            "evaluate", "--logs", ObdData.Log("bts", "men"), "--target", "uniform", "--estimators", "ips,snips",
            "--interval", "bootstrap", "--seed", "3", "--confidence", "0.9", "--json", "-");

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var estimates = json.RootElement.GetProperty("estimates");
        Assert.Equal(2, estimates.GetArrayLength());
        var ips = estimates[0];
        Assert.Equal("ips", ips.GetProperty("estimator").GetString());
        Assert.Equal("bootstrap", ips.GetProperty("interval").GetString());
        Assert.Equal(0.9, ips.GetProperty("confidence_level").GetDouble());
        Assert.Equal(10_000, ips.GetProperty("n").GetInt32());
        Assert.True(ips.GetProperty("lower").GetDouble() < ips.GetProperty("estimate").GetDouble());
        Assert.Equal("importance_weights", json.RootElement.GetProperty("diagnostics").GetProperty("low_support_source").GetString());
    }

    [Fact]
    public async Task Evaluate_writes_the_table_and_a_json_file_with_the_same_estimates()
    {
        var path = _directory.File("out.json");
        var (exitCode, output, _) = await RunAsync(
            "evaluate", "--logs", ObdData.Path("random", "women"), "--target", "logging", "--position", "3", "--json", path);

        Assert.Equal(0, exitCode);
        Assert.Contains("3297 events", output, StringComparison.Ordinal);
        Assert.Contains("skipped dm", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        Assert.Equal(
            json.RootElement.GetProperty("logged_mean_reward").GetDouble(),
            json.RootElement.GetProperty("estimates")[0].GetProperty("estimate").GetDouble(),
            1e-12);
    }

    [Fact]
    public async Task Evaluate_reads_a_probability_file_target()
    {
        var logs = await ObdLogReader.ReadAsync(TinyObdLog.Write(_directory), CancellationToken.None);
        var target = _directory.File("target.csv");
        await ProbabilityFiles.WriteAsync(target, logs, (_, a) => a == 0 ? 1 : 0, allPositions: false);

        var (exitCode, output, _) = await RunAsync("evaluate", "--logs", logs.Source, "--target", target, "--estimators", "ips", "--json", "-");

        // Always item 0: w = 2 on the two rows that logged it (both clicked), 0 elsewhere → (2 + 2) / 4.
        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1.0, json.RootElement.GetProperty("estimates")[0].GetProperty("estimate").GetDouble(), 1e-12);
    }

    [Fact]
    public async Task Evaluate_reads_a_loops_data_directory()
    {
        await LoopsDataDirectory.WriteAsync(_directory.Path, 100, seed: 9);
        var (exitCode, output, error) = await RunAsync("evaluate", "--logs", _directory.Path, "--target", "uniform", "--interval", "bernstein");

        Assert.True(exitCode == 0, error);
        Assert.Contains("(loops, 100 events)", output, StringComparison.Ordinal);
        Assert.Contains("linear reward model", output, StringComparison.Ordinal);
        Assert.Contains("(exact)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--logs", "missing.csv", "--target", "uniform", "missing.csv does not exist")]
    [InlineData("--logs", "{men}", "--target", "sometimes", "--target 'sometimes' is not understood")]
    [InlineData("--logs", "{men}", "--target", "absent.csv", "absent.csv does not exist")]
    [InlineData("--logs", "{men}", "--target", "uniform", "--estimators", "ips,foo", "unknown estimator 'foo'")]
    [InlineData("--logs", "{men}", "--target", "uniform", "--confidence", "1.5", "strictly between 0 and 1")]
    [InlineData("--logs", "{men}", "--target", "logging", "--estimators", "dr", "dr needs the target's probability of every action")]
    [InlineData("--logs", "{men}", "--target", "uniform", "--position", "5", "no event of")]
    [InlineData("--logs", "{men}", "--target", "policy.json", "does not exist")]
    public async Task Bad_input_exits_with_code_2_and_says_what_to_fix(params string[] argumentsAndMessage)
    {
        var arguments = argumentsAndMessage[..^1].Select(a => a == "{men}" ? ObdData.Path("random", "men") : a);
        var (exitCode, _, error) = await RunAsync(["evaluate", .. arguments]);

        Assert.Equal(EvaluateCommand.BadInput, exitCode);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(argumentsAndMessage[^1], error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_required_option_is_a_usage_error()
    {
        var (exitCode, _, error) = await RunAsync("evaluate", "--target", "uniform");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--logs", error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await LoopsCommandLine.RunAsync(args, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
