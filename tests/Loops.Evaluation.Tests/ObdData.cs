namespace Loops.Evaluation.Tests;

/// <summary>Finds the Open Bandit Dataset sample: the folder <c>shared/data/obd</c> beside the repository, found walking up.</summary>
internal static class ObdData
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    public static string Log(string policy, string campaign) => Path(policy, campaign, campaign + ".csv");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, "shared", "data", "obd");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No shared/data/obd above {AppContext.BaseDirectory}: the Open Bandit Dataset sample lives beside the repository.");
    }
}
