using System.Globalization;
using System.Text;

namespace Loops.Evaluation.Tests;

/// <summary>Writes probability files (<c>round,action,position,prob</c>) for tests.</summary>
internal static class ProbabilityFiles
{
    /// <summary>Writes one line per event and action (and, with <paramref name="allPositions"/>, for positions 1..3 as OBD exports do).</summary>
    public static async Task WriteAsync(string path, LoggedData logs, Func<LoggedEvent, int, double> probability, bool allPositions)
    {
        var text = new StringBuilder("round,action,position,prob\n");
        foreach (var loggedEvent in logs.Events)
        {
            int[] positions = allPositions ? [1, 2, 3] : [loggedEvent.Position];
            foreach (int position in positions)
            {
                for (int a = 0; a < loggedEvent.Actions.Count; a++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{loggedEvent.Round},{loggedEvent.Actions[a].Id},{position},{probability(loggedEvent, a):R}\n");
                }
            }
        }

        await File.WriteAllTextAsync(path, text.ToString());
    }
}
