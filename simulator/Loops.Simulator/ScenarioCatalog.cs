using Loops.Simulation.Scenarios;

namespace Loops.Simulator;

/// <summary>Finds scenarios by path or by name among the shipped ones (the scenarios folder beside the tool, or in the repository).</summary>
internal static class ScenarioCatalog
{
    public static string Directory
    {
        get
        {
            var beside = Path.Combine(AppContext.BaseDirectory, "scenarios");
            return System.IO.Directory.Exists(beside) ? beside : Path.Combine(Environment.CurrentDirectory, "simulator", "scenarios");
        }
    }

    public static IReadOnlyList<string> Files() => System.IO.Directory.Exists(Directory)
        ? System.IO.Directory.GetFiles(Directory, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
        : [];

    public static Task<Scenario> LoadAsync(string nameOrPath, CancellationToken cancellationToken)
    {
        if (File.Exists(nameOrPath))
        {
            return ScenarioLoader.LoadAsync(nameOrPath, cancellationToken);
        }

        var shipped = Path.Combine(Directory, nameOrPath + ".json");
        if (File.Exists(shipped))
        {
            return ScenarioLoader.LoadAsync(shipped, cancellationToken);
        }

        throw new ScenarioException($"No scenario file '{nameOrPath}' and no shipped scenario of that name in {Directory}; see 'loops-sim list'.");
    }
}
