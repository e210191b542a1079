using Loops.Evaluation.Tests;

namespace Loops.Simulator.Tests;

/// <summary>
/// A temporary Loops data directory whose joined-event log is written by the real embedded store (the same writer as
/// the evaluation tests', linked from there): a policy "bonus"
/// logs "none" with probability 0.3 and "bonus" with 0.7; players of segment "b" click "bonus" and the others "none",
/// each 80% of the time. The logger is worth 0.4 per decision, the best policy 0.8.
/// </summary>
internal sealed class JoinedLogDirectory : IDisposable
{
    public const string Policy = LoopsDataDirectory.Policy;

    private JoinedLogDirectory(string path) => Path = path;

    public string Path { get; }

    public static async Task<JoinedLogDirectory> WriteAsync(int decisions, int seed)
    {
        var directory = new JoinedLogDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "loops-sim-tests", Guid.NewGuid().ToString("N")));
        await LoopsDataDirectory.WriteAsync(directory.Path, decisions, seed);
        return directory;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}
