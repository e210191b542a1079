using System.CommandLine;
using Loops.Simulation.Scenarios;
using Spectre.Console;

namespace Loops.Simulator;

/// <summary><c>list</c>: the shipped scenarios and the strategies a run can compare.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the shipped scenarios and the strategies a run can compare.");
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("scenario", "days", "decisions/day", "actions", "personas", "description");
        foreach (var file in ScenarioCatalog.Files())
        {
            try
            {
                var scenario = await ScenarioLoader.LoadAsync(file, cancellationToken);
                table.AddRow(
                    Markup.Escape(scenario.Name),
                    scenario.Traffic.Days.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    scenario.Traffic.DecisionsPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    string.Join(", ", scenario.Actions.Select(a => Markup.Escape(a.Id))),
                    string.Join(", ", scenario.Personas.Select(p => Markup.Escape(p.Name))),
                    Markup.Escape(scenario.Description));
            }
            catch (ScenarioException exception)
            {
                table.AddRow(Markup.Escape(Path.GetFileNameWithoutExtension(file)), "", "", "", "", "[red]" + Markup.Escape(exception.Message) + "[/]");
            }
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("Strategies: [bold]uniform[/], [bold]best-fixed[/], [bold]ab-test[/], [bold]oracle[/], [bold]loops:ALGORITHM[[:EPSILON[[:LEARNING_RATE]]]][/] (e.g. loops:epsilon_greedy:0.05).");
        return 0;
    }
}
