using System.CommandLine;
using Loops.Core.Evaluation;
using Loops.Evaluation;

namespace Loops.Cli;

/// <summary>
/// <c>loops evaluate</c>: estimates the value of a target policy on logged events with off-policy estimators and
/// prints a table of estimates with confidence intervals (or JSON).
/// </summary>
internal static class EvaluateCommand
{
    /// <summary>The exit code for input the user must fix.</summary>
    public const int BadInput = 2;

    public static Command Create()
    {
        var options = new EvaluateOptions();
        var command = new Command("evaluate", "Estimate a target policy's value on logged events (IPS, SNIPS, DM, DR, SNDR, switch-DR) with confidence intervals.");
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => RunAsync(result, options, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, EvaluateOptions options, CancellationToken cancellationToken)
    {
        var output = result.InvocationConfiguration.Output;
        var error = result.InvocationConfiguration.Error;
        try
        {
            var request = await BuildRequestAsync(result, options, cancellationToken);
            var report = EvaluationRunner.Run(request, cancellationToken);
            var json = result.GetValue(options.Json);
            if (json == "-")
            {
                await WriteJsonAsync(report, output, cancellationToken);
                return 0;
            }

            ReportTable.Write(report, output);
            if (!string.IsNullOrEmpty(json))
            {
                var stream = File.Create(json);
                await using (stream)
                {
                    await EvaluationReportJson.WriteAsync(report, stream, cancellationToken);
                }
            }

            return 0;
        }
        catch (EvaluationInputException exception)
        {
            await error.WriteLineAsync($"error: {exception.Message}");
            return BadInput;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {exception.Message}");
            return BadInput;
        }
    }

    private static async Task<EvaluationRequest> BuildRequestAsync(ParseResult result, EvaluateOptions options, CancellationToken cancellationToken)
    {
        var format = result.GetValue(options.Format) switch
        {
            "obd" => LogFormat.Obd,
            "loops" => LogFormat.Loops,
            _ => (LogFormat?)null,
        };
        var logs = await LogSource.ReadAsync(result.GetRequiredValue(options.Logs), format, result.GetValue(options.Policy), cancellationToken);
        logs = logs.AtPosition(result.GetValue(options.Position));
        var target = await TargetPolicies.ResolveAsync(result.GetRequiredValue(options.Target), result.GetValue(options.Model), logs, cancellationToken);
        var interval = new IntervalOptions
        {
            Method = result.GetValue(options.Interval) switch
            {
                "bernstein" => IntervalMethod.Bernstein,
                "bootstrap" => IntervalMethod.Bootstrap,
                _ => IntervalMethod.Normal,
            },
            ConfidenceLevel = result.GetValue(options.Confidence),
            BootstrapResamples = result.GetValue(options.Resamples),
            Seed = result.GetValue(options.Seed),
        };
        try
        {
            interval.Validate();
        }
        catch (ArgumentException exception)
        {
            throw new EvaluationInputException($"{exception.Message} (see --confidence and --resamples).", exception);
        }

        double switchThreshold = result.GetValue(options.SwitchThreshold);
        if (!(switchThreshold >= 0))
        {
            throw new EvaluationInputException("--switch-threshold must be at least 0.");
        }

        var estimators = result.GetValue(options.Estimators);
        return new EvaluationRequest
        {
            Logs = logs,
            Target = target,
            Estimators = string.IsNullOrWhiteSpace(estimators)
                ? null
                : estimators.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Interval = interval,
            RewardModel = result.GetValue(options.RewardModel) switch
            {
                "mean" => RewardModelKind.ActionPositionMean,
                "linear" => RewardModelKind.Linear,
                _ => RewardModelKind.Auto,
            },
            SwitchThreshold = switchThreshold,
        };
    }

    private static async Task WriteJsonAsync(EvaluationReport report, TextWriter output, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await EvaluationReportJson.WriteAsync(report, buffer, cancellationToken);
        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
