using System.Reflection;

namespace Loops.Simulator.Tests;

/// <summary>Where the repository, its scenarios, the service build and the shared OBD sample are, found from the test assembly.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot => Above("Loops.sln") ?? throw new InvalidOperationException("No Loops.sln above the test assembly.");

    public static string Scenarios => Path.Combine(RepositoryRoot, "simulator", "scenarios");

    public static string Scenario(string name) => Path.Combine(Scenarios, name + ".json");

    /// <summary>The folder holding shared/data/obd above the test assembly (the data is never copied into the repository).</summary>
    public static string Obd => Path.Combine(
        Above(Path.Combine("shared", "data", "obd")) ?? throw new InvalidOperationException("No shared/data/obd above the test assembly."),
        "shared", "data", "obd");

    public static string ServiceAssembly => Path.Combine(RepositoryRoot, "src", "Loops.Service", "bin", Configuration, "net10.0", "Loops.Service.dll");

    private static string Configuration =>
        typeof(TestPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string? Above(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, relative)) || Directory.Exists(Path.Combine(directory.FullName, relative)))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
