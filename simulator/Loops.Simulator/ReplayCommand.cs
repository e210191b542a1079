using System.CommandLine;
using Loops.Evaluation;
using Loops.Simulation.Replay;

namespace Loops.Simulator;

/// <summary>
/// <c>replay</c>: evaluates policies on logged data with the replay method (Li et al. 2011) and with the shared
/// off-policy estimators (IPS, SNIPS, DR): the Open Bandit Dataset, a Loops data directory's joined events, or
/// joined events exported as JSON lines.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var obd = new Option<DirectoryInfo?>("--obd") { Description = "The Open Bandit Dataset folder (holding random/ and bts/); default: shared/data/obd above the current folder." };
        var behavior = new Option<string>("--behavior") { Description = "OBD logging policy: random (uniform; replay and OPE) or bts (OPE only).", DefaultValueFactory = _ => "random" };
        var campaign = new Option<string>("--campaign") { Description = "OBD campaign: men, women or all.", DefaultValueFactory = _ => "men" };
        var limit = new Option<int>("--limit") { Description = "Read at most this many events.", DefaultValueFactory = _ => int.MaxValue };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Evaluate on a Loops data directory's joined events (the embedded store's feedback/ folder) instead of OBD." };
        var dataPolicy = new Option<string?>("--data-policy") { Description = "With --data: keep only this policy's decisions." };
        var log = new Option<FileInfo?>("--log") { Description = "Evaluate on joined events exported as JSON lines of loops.v1.JoinedEvent instead of OBD." };
        var policies = new Option<string>("--policies")
        {
            Description = "Comma-separated: uniform, logging, best-logged, action:ID, loops:ALGORITHM[:EPSILON[:LEARNING_RATE]].",
            DefaultValueFactory = _ => ReplayReport.DefaultPolicies,
        };
        var seed = new Option<ulong>("--seed") { Description = "Seeds the policies' draws and the rejection step.", DefaultValueFactory = _ => 1 };
        var command = new Command("replay", "Evaluate policies on logged data with the replay method and the off-policy estimators (IPS, SNIPS, DR).")
        {
            obd, behavior, campaign, limit, data, dataPolicy, log, policies, seed,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                LoggedData logs;
                string source;
                if (result.GetValue(data) is { } directory)
                {
                    logs = await JoinedEventLogReader.ReadAsync(directory.FullName, result.GetValue(dataPolicy), cancellationToken);
                    source = $"joined events of {directory.Name}";
                }
                else if (result.GetValue(log) is { } file)
                {
                    logs = await JoinedEventReader.ReadAsync(file.FullName, cancellationToken);
                    source = file.Name;
                }
                else
                {
                    var root = result.GetValue(obd)?.FullName ?? FindObd()
                        ?? throw new DirectoryNotFoundException("No shared/data/obd above the current folder; pass --obd.");
                    logs = await ReplayLogs.ReadObdAsync(
                        root, result.GetRequiredValue(behavior), result.GetRequiredValue(campaign), result.GetValue(limit), cancellationToken);
                    source = $"OBD {result.GetValue(behavior)}/{result.GetValue(campaign)}";
                }

                if (result.GetValue(limit) < logs.Events.Count)
                {
                    logs = logs with { Events = [.. logs.Events.Take(result.GetValue(limit))] };
                }

                var names = result.GetRequiredValue(policies).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                ReplayReport.Write(source, logs, names, result.GetValue(seed), cancellationToken);
                return 0;
            }
            catch (Exception exception) when (exception is IOException or InvalidDataException or FormatException or InvalidOperationException
                or ArgumentException or EvaluationInputException)
            {
                await Console.Error.WriteLineAsync(exception.Message);
                return 2;
            }
        });
        return command;
    }

    private static string? FindObd()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", "obd");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
