using System.Reflection;

namespace Loops.Interop.Tests;

/// <summary>Where the repository, the service build and the interop scripts are, found from the test assembly.</summary>
internal static class RepositoryLayout
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root: the first directory above the test assembly that holds Loops.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The build configuration of the tests (Debug, Release); the service is built with the same one.</summary>
    public static string Configuration =>
        typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : "Debug";

    /// <summary>The target framework folder of the tests (net10.0); the service is built for the same one.</summary>
    public static string TargetFramework => Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));

    /// <summary>The service's entry assembly, built through the test project's reference to src/Loops.Service.</summary>
    public static string ServiceAssembly =>
        Path.Combine(RepositoryRoot, "src", "Loops.Service", "bin", Configuration, TargetFramework, "Loops.Service.dll");

    /// <summary>tests/interop: the peer clients.</summary>
    public static string InteropDirectory => Path.Combine(RepositoryRoot, "tests", "interop");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Loops.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Loops.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
