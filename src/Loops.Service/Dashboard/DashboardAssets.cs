using System.Collections.Frozen;

namespace Loops.Service.Dashboard;

/// <summary>The dashboard's pages, scripts, styles and Chart.js, embedded in the assembly when it is built (see the project file).</summary>
internal static class DashboardAssets
{
    private const string ResourcePrefix = "Loops.Service.Dashboard.web.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    /// <summary>The file and its content type, or null when there is no such asset.</summary>
    public static (byte[] Content, string ContentType)? Find(string name) =>
        Files.TryGetValue(name, out var content) && ContentTypes.TryGetValue(Path.GetExtension(name), out var type) ? (content, type) : null;

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[resource[ResourcePrefix.Length..]] = copy.ToArray();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
