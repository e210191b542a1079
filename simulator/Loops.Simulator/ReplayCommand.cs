using System.CommandLine;
using System.Globalization;
using Loops.Simulation.Replay;
using Spectre.Console;

namespace Loops.Simulator;

/// <summary>
/// <c>replay</c>: evaluates policies on logged data with the replay method: the Open Bandit Dataset's uniform
/// logs, or the project's own joined events (JSON lines of loops.v1.JoinedEvent).
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var obd = new Option<DirectoryInfo?>("--obd") { Description = "The Open Bandit Dataset folder (holding random/ and bts/); default: shared/data/obd above the current folder." };
        var behavior = new Option<string>("--behavior") { Description = "OBD logging policy; the replay method needs 'random'.", DefaultValueFactory = _ => "random" };
        var campaign = new Option<string>("--campaign") { Description = "OBD campaign: men or women.", DefaultValueFactory = _ => "men" };
        var log = new Option<FileInfo?>("--log") { Description = "Replay the project's own joined events (JSON lines of loops.v1.JoinedEvent) instead of OBD." };
        var policies = new Option<string>("--policies") { Description = "Comma-separated: uniform, best-logged, action:ID, loops:ALGORITHM[:EPSILON[:LEARNING_RATE]].", DefaultValueFactory = _ => "uniform,best-logged,loops:epsilon_greedy:0.1" };
        var seed = new Option<ulong>("--seed") { Description = "Seeds the policies' draws and the rejection step.", DefaultValueFactory = _ => 1 };
        var command = new Command("replay", "Evaluate policies on logged data with the replay method (Li et al. 2011).") { obd, behavior, campaign, log, policies, seed };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                IReadOnlyList<LoggedEvent> events;
                string source;
                if (result.GetValue(log) is { } file)
                {
                    events = await JoinedEventReader.ReadAsync(file.FullName, cancellationToken);
                    source = file.Name;
                }
                else
                {
                    var root = result.GetValue(obd)?.FullName ?? FindObd()
                        ?? throw new DirectoryNotFoundException("No shared/data/obd above the current folder; pass --obd.");
                    events = ObdReader.Read(root, result.GetRequiredValue(behavior), result.GetRequiredValue(campaign));
                    source = $"OBD {result.GetValue(behavior)}/{result.GetValue(campaign)}";
                }

                Write(source, events, result.GetRequiredValue(policies), result.GetValue(seed));
                return 0;
            }
            catch (Exception exception) when (exception is IOException or InvalidDataException or FormatException or InvalidOperationException or ArgumentException)
            {
                await Console.Error.WriteLineAsync(exception.Message);
                return 2;
            }
        });
        return command;
    }

    private static void Write(string source, IReadOnlyList<LoggedEvent> events, string policies, ulong seed)
    {
        var table = new Table().Title($"Replay on {Markup.Escape(source)}: {events.Count:N0} events")
            .AddColumns("policy", "accepted", "matched", "value (mean reward)", "95% interval");
        foreach (var name in policies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var policy = ReplayPolicies.Create(name, events, seed);
            var replay = ReplayEvaluator.Evaluate(name, events, policy, seed);
            table.AddRow(
                Markup.Escape(name),
                replay.Accepted.ToString("N0", CultureInfo.InvariantCulture),
                replay.Matched.ToString("N0", CultureInfo.InvariantCulture),
                replay.Value.ToString("F5", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"[[{replay.Low:F5}, {replay.High:F5}]]"));
        }

        AnsiConsole.Write(table);
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
