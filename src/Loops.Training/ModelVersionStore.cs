using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Training;

/// <summary>
/// A policy's immutable, numbered model versions under <c>{data}/models/{policy}/</c>: one snapshot file per
/// version (<c>{version}.model</c>, written once, then renamed into place) and an index (<c>index.json</c>) with
/// each version's source and time. Not thread-safe: the catalogue serialises its calls.
/// </summary>
internal sealed class ModelVersionStore
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithIndentation());
    private readonly string _directory;
    private readonly List<ModelVersion> _versions;

    private ModelVersionStore(string directory, List<ModelVersion> versions)
    {
        _directory = directory;
        _versions = versions;
    }

    /// <summary>The stored versions, oldest first (copies).</summary>
    public IReadOnlyList<ModelVersion> Versions => _versions.Select(v => v.Clone()).ToList();

    /// <summary>Opens (or creates) the version store of a policy.</summary>
    public static async Task<ModelVersionStore> OpenAsync(string modelDirectory, string policy, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(modelDirectory, policy);
        Directory.CreateDirectory(directory);
        var index = Path.Combine(directory, "index.json");
        var versions = new List<ModelVersion>();
        if (File.Exists(index))
        {
            var text = await File.ReadAllTextAsync(index, cancellationToken).ConfigureAwait(false);
            versions.AddRange(ListModelsResponse.Parser.ParseJson(text).Models);
        }

        // A snapshot copied in as {version}.model (an exported model from elsewhere) becomes an imported version.
        foreach (var file in Directory.EnumerateFiles(directory, "*.model"))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                && number > 0 && !versions.Exists(v => v.Version == number)
                && await ModelFile.ReadAsync(file, cancellationToken).ConfigureAwait(false) is { } snapshot)
            {
                versions.Add(new ModelVersion
                {
                    Version = number,
                    CreatedUnixMs = new DateTimeOffset(File.GetLastWriteTimeUtc(file)).ToUnixTimeMilliseconds(),
                    Source = "imported",
                    EventsLearned = snapshot.EventsLearned,
                });
            }
        }

        versions.Sort((a, b) => a.Version.CompareTo(b.Version));
        return new ModelVersionStore(directory, versions);
    }

    /// <summary>The path of a version's snapshot file.</summary>
    public string PathOf(long version) => Path.Combine(_directory, version.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".model");

    /// <summary>Whether a version is stored.</summary>
    public bool Contains(long version) => _versions.Exists(v => v.Version == version);

    /// <summary>Stores a new version (an encoded <see cref="ModelFile"/> snapshot); its file is never written again.</summary>
    public async Task AddAsync(ModelVersion entry, byte[] snapshot, CancellationToken cancellationToken)
    {
        await ModelFile.WriteAsync(PathOf(entry.Version), snapshot, cancellationToken).ConfigureAwait(false);
        _versions.RemoveAll(v => v.Version == entry.Version);
        _versions.Add(entry.Clone());
        _versions.Sort((a, b) => a.Version.CompareTo(b.Version));
    }

    /// <summary>Records which version is live and rewrites the index (temporary file, then rename).</summary>
    public async Task MarkLiveAsync(long version, CancellationToken cancellationToken)
    {
        foreach (var entry in _versions)
        {
            entry.Live = entry.Version == version;
        }

        var response = new ListModelsResponse();
        response.Models.Add(_versions);
        var path = Path.Combine(_directory, "index.json");
        await File.WriteAllTextAsync(path + ".tmp", Json.Format(response), cancellationToken).ConfigureAwait(false);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
