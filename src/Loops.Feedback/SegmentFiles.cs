using System.Globalization;

namespace Loops.Feedback;

/// <summary>Names and lists numbered segment files (<c>&lt;prefix&gt;-&lt;number&gt;.log</c>).</summary>
internal static class SegmentFiles
{
    public const string JournalPrefix = "journal";
    public const string JoinedPrefix = "joined";
    public const string CheckpointPrefix = "checkpoint";

    public static string PathOf(string directory, string prefix, long number) =>
        Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{prefix}-{number}.log"));

    /// <summary>The segments with that prefix in ascending number order.</summary>
    public static List<(long Number, string Path)> List(string directory, string prefix)
    {
        var segments = new List<(long Number, string Path)>();
        foreach (var path in Directory.EnumerateFiles(directory, prefix + "-*.log"))
        {
            var name = Path.GetFileNameWithoutExtension(path).AsSpan(prefix.Length + 1);
            if (long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                segments.Add((number, path));
            }
        }

        segments.Sort((left, right) => left.Number.CompareTo(right.Number));
        return segments;
    }
}
