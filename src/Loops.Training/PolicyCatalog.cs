using System.Collections.Concurrent;
using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Core.Policies;
using Microsoft.Extensions.Logging;

namespace Loops.Training;

/// <summary>
/// The policies of this process and their models, kept under <c>{data}/policies</c> (definitions as JSON) and
/// <c>{data}/models</c> (model snapshots). Reads are lock-free; changes are serialised.
/// </summary>
public sealed class PolicyCatalog : IDisposable
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithIndentation().WithFormatDefaultValues(true));
    private readonly ConcurrentDictionary<string, PolicyState> _policies = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly IModelRepository _models;
    private readonly string _policyDirectory;
    private readonly string _modelDirectory;
    private readonly ILogger _logger;

    private PolicyCatalog(string dataDirectory, IModelRepository? models, ILogger logger)
    {
        _policyDirectory = Path.Combine(dataDirectory, "policies");
        _modelDirectory = Path.Combine(dataDirectory, "models");
        _models = models ?? new FileModelRepository(_modelDirectory);
        _logger = logger;
        Directory.CreateDirectory(_policyDirectory);
        Directory.CreateDirectory(_modelDirectory);
    }

    /// <summary>Opens the catalogue under a data directory, loading every stored policy and its latest model.</summary>
    /// <param name="dataDirectory">Where definitions and the live snapshots are kept.</param>
    /// <param name="logger">The catalogue's logger.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <param name="models">Where model versions are stored; null for files under the data directory.</param>
    public static async Task<PolicyCatalog> OpenAsync(
        string dataDirectory, ILogger<PolicyCatalog> logger, CancellationToken cancellationToken, IModelRepository? models = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var catalog = new PolicyCatalog(dataDirectory, models, logger);
        foreach (var file in Directory.EnumerateFiles(catalog._policyDirectory, "*.json"))
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            var settings = PolicyValidator.Validate(Policy.Parser.ParseJson(text));
            var snapshot = await ModelFile.ReadAsync(catalog.ModelPath(settings.Name), cancellationToken).ConfigureAwait(false);
            PolicyState state;
            if (snapshot is { } s && s.Policy.Settings == settings.Model)
            {
                s.Policy.Exploration = settings.Exploration;
                state = new PolicyState(settings, s.Policy, s.Version, s.EventsLearned, s.LastSequence);
            }
            else
            {
                state = new PolicyState(settings, NewPolicy(settings), 1, 0, 0);
            }

            state.RaiseLastVersion(await catalog.LastStoredVersionAsync(settings.Name, cancellationToken).ConfigureAwait(false));
            catalog._policies[settings.Name] = state;
            TrainingLog.PolicyLoaded(logger, settings.Name, state.ModelVersion, state.EventsLearned);
        }

        return catalog;
    }

    /// <summary>Every policy.</summary>
    public IReadOnlyCollection<PolicyState> All => (IReadOnlyCollection<PolicyState>)_policies.Values;

    /// <summary>A policy by name, or null.</summary>
    public PolicyState? Find(string name) => _policies.GetValueOrDefault(name);

    /// <summary>
    /// Creates a policy or changes its settings. The model is kept unless its model settings (algorithm, learner,
    /// bags, linear dimension, ridge) change: a model of another shape cannot be carried over, so a new one starts,
    /// with the next version. Exploration settings (epsilon and the explorers' parameters) change in place.
    /// </summary>
    /// <exception cref="InvalidPolicyException">The definition is invalid.</exception>
    public async Task<PolicyState> UpsertAsync(Policy policy, CancellationToken cancellationToken)
    {
        var settings = PolicyValidator.Validate(policy);
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var text = Json.Format(settings.Definition);
            var path = Path.Combine(_policyDirectory, settings.Name + ".json");
            var temporary = path + ".tmp";
            await File.WriteAllTextAsync(temporary, text, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
            if (_policies.TryGetValue(settings.Name, out var existing))
            {
                var keepModel = existing.Policy.Settings == settings.Model;
                var (model, storedVersion) = keepModel ? (null, 0) : await StoredOrNewPolicyAsync(settings, cancellationToken).ConfigureAwait(false);
                existing.Replace(settings, model, storedVersion);
                TrainingLog.PolicyChanged(_logger, settings.Name, !keepModel);
                return existing;
            }

            var state = new PolicyState(settings, NewPolicy(settings), 1, 0, 0);

            // A policy deleted by hand and created again continues the numbering of its stored versions.
            state.RaiseLastVersion(await LastStoredVersionAsync(settings.Name, cancellationToken).ConfigureAwait(false));
            _policies[settings.Name] = state;
            TrainingLog.PolicyCreated(_logger, settings.Name);
            return state;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Writes a snapshot of every model that learned since its last one; each gets the next version.</summary>
    /// <param name="cancellationToken">Cancels the snapshots not yet written.</param>
    /// <param name="include">Which policies to snapshot (those this process trains, when due); null for all.</param>
    public async Task SaveModelsAsync(CancellationToken cancellationToken, Func<PolicyState, bool>? include = null)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var state in _policies.Values)
            {
                if (!state.Dirty || (include is not null && !include(state)))
                {
                    continue;
                }

                var version = await _models.AllocateVersionAsync(state.Settings.Name, state.LastVersion + 1, cancellationToken).ConfigureAwait(false);
                byte[] snapshot;
                long events;
                long sequence;
                lock (state.ModelLock)
                {
                    using var buffer = new MemoryStream();
                    state.Policy.WriteTo(buffer);
                    events = state.EventsLearned;
                    sequence = state.LastSequence;
                    snapshot = ModelFile.Encode(version, events, sequence, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
                    state.RaiseLastVersion(version);
                    state.Renumber(version);
                    state.Dirty = false;
                    state.SavedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                }

                await ModelFile.WriteAsync(ModelPath(state.Settings.Name), snapshot, cancellationToken).ConfigureAwait(false);
                await StoreVersionAsync(state.Settings.Name, version, "online", events, snapshot, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>A policy's stored model versions, oldest first; empty for an unknown policy.</summary>
    public async Task<IReadOnlyList<ModelVersion>> ListModelsAsync(string policy, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _policies.ContainsKey(policy) ? await _models.ListAsync(policy, cancellationToken).ConfigureAwait(false) : [];
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// Makes a stored version live: a fresh copy of it is swapped in with one reference write, so requests never
    /// wait, and the champion keeps learning online from it. The live snapshot is rewritten so a restart keeps it.
    /// </summary>
    /// <param name="name">The policy.</param>
    /// <param name="version">The stored version.</param>
    /// <param name="rollback">True when going back: the version left is not remembered as one to go back to.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The live version's entry.</returns>
    /// <exception cref="KeyNotFoundException">The policy or the version is unknown.</exception>
    public async Task<ModelVersion> MakeLiveAsync(string name, long version, bool rollback, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = Find(name) ?? throw new KeyNotFoundException($"policy '{name}' does not exist.");
            var snapshot = await _models.ReadAsync(name, version, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"model version {version} is not stored.");
            var stored = ModelFile.Decode(snapshot, $"model version {version} of policy '{name}'");
            long sequence;
            lock (state.ModelLock)
            {
                state.Swap(stored.Policy, version, remember: !rollback);
                sequence = state.LastSequence;
            }

            await WriteLiveSnapshotAsync(name, version, stored.EventsLearned, sequence, stored.Policy, cancellationToken).ConfigureAwait(false);
            await _models.MarkLiveAsync(name, version, cancellationToken).ConfigureAwait(false);
            return (await _models.ListAsync(name, cancellationToken).ConfigureAwait(false)).First(v => v.Version == version);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// Makes the version the repository records as live this process's live model too, when it is another one (a
    /// version another replica made live or stored). A process that trains the policy keeps learning from where it
    /// is; one that does not takes the version's events and sequence, so it resumes from there if it takes over.
    /// </summary>
    /// <param name="name">The policy.</param>
    /// <param name="training">Whether this process trains the policy.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>True when another version was swapped in.</returns>
    public async Task<bool> FollowLiveAsync(string name, bool training, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Find(name) is not { } state)
            {
                return false;
            }

            var version = await _models.LiveVersionAsync(name, cancellationToken).ConfigureAwait(false);
            if (version == 0 || version == state.ModelVersion
                || await _models.ReadAsync(name, version, cancellationToken).ConfigureAwait(false) is not { } snapshot)
            {
                return false;
            }

            var stored = ModelFile.Decode(snapshot, $"model version {version} of policy '{name}'");
            var entry = (await _models.ListAsync(name, cancellationToken).ConfigureAwait(false)).FirstOrDefault(v => v.Version == version);
            if (stored.Policy.Settings != state.Settings.Model)
            {
                // Made under other model settings (a promoted challenger whose definition has not arrived yet): the
                // definition's change brings it in; serving it under the old settings would mix the two.
                return false;
            }

            stored.Policy.Exploration = state.Settings.Exploration;
            long sequence;
            lock (state.ModelLock)
            {
                // A newer online snapshot continues the model that was live; other swaps are kept for rollback.
                var continues = entry?.Source == "online" && version > state.ModelVersion;
                state.Swap(stored.Policy, version, remember: !continues);
                state.RaiseLastVersion(version);
                if (!training)
                {
                    state.Resume(stored.EventsLearned, stored.LastSequence);
                }

                sequence = state.LastSequence;
            }

            await WriteLiveSnapshotAsync(name, version, stored.EventsLearned, sequence, stored.Policy, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>A stored version's model file (version 0: the live one).</summary>
    /// <exception cref="KeyNotFoundException">The policy or the version is unknown.</exception>
    public async Task<(long Version, byte[] ModelFile)> ExportAsync(string name, long version, CancellationToken cancellationToken)
    {
        var state = Find(name) ?? throw new KeyNotFoundException($"policy '{name}' does not exist.");
        if (version == 0)
        {
            version = state.ModelVersion;
        }

        var snapshot = await _models.ReadAsync(name, version, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException(version == state.ModelVersion
                ? $"the live model version {version} is not stored yet (it is stored at the next model update)."
                : $"model version {version} is not stored.");
        return (version, snapshot);
    }

    /// <summary>
    /// Stores a model file as a new version (source "imported"), numbered after every stored one; it becomes live
    /// only when promoted.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The policy is unknown.</exception>
    /// <exception cref="InvalidDataException">The bytes are not a model file, or its model was made under other settings.</exception>
    public async Task<ModelVersion> ImportAsync(string name, byte[] modelFile, CancellationToken cancellationToken)
    {
        var state = Find(name) ?? throw new KeyNotFoundException($"policy '{name}' does not exist.");
        (long Version, long EventsLearned, long LastSequence, BanditPolicy Policy) imported;
        try
        {
            imported = ModelFile.Decode(modelFile, "the model file");
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException or OverflowException or NotSupportedException)
        {
            throw new InvalidDataException($"the model file is truncated or corrupt ({ex.Message}).", ex);
        }

        if (imported.Policy.Settings != state.Settings.Model)
        {
            throw new InvalidDataException(
                $"the model file's model was made under other settings ({imported.Policy.Settings}) than policy '{name}' has ({state.Settings.Model}); upsert the policy with matching algorithm and learning settings first.");
        }

        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var version = await _models.AllocateVersionAsync(name, state.LastVersion + 1, cancellationToken).ConfigureAwait(false);
            state.RaiseLastVersion(version);
            using var buffer = new MemoryStream();
            imported.Policy.WriteTo(buffer);
            var entry = new ModelVersion
            {
                Version = version,
                CreatedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                Source = "imported",
                EventsLearned = imported.EventsLearned,
            };

            // Renumbered: the file keeps its events and sequence, the version is this policy's.
            var snapshot = ModelFile.Encode(version, imported.EventsLearned, imported.LastSequence, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            await _models.AddAsync(name, entry, snapshot, cancellationToken).ConfigureAwait(false);
            return entry;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Raises a policy's version counter to the highest stored version (before this process starts training it).</summary>
    public async Task CatchUpVersionsAsync(string name, CancellationToken cancellationToken)
    {
        if (Find(name) is { } state)
        {
            state.RaiseLastVersion(await LastStoredVersionAsync(name, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>The version that was live before the current one, or null.</summary>
    public long? PreviousVersion(string name)
    {
        var state = Find(name);
        if (state is null)
        {
            return null;
        }

        lock (state.ModelLock)
        {
            while (state.PreviousVersions.TryPeek(out var version))
            {
                if (version != state.ModelVersion)
                {
                    return version;
                }

                state.PreviousVersions.Pop();
            }
        }

        return null;
    }

    /// <summary>Forgets the top of the rollback history once a rollback to it succeeded.</summary>
    public void RolledBack(string name)
    {
        if (Find(name) is { } state)
        {
            lock (state.ModelLock)
            {
                state.PreviousVersions.TryPop(out _);
            }
        }
    }

    /// <summary>
    /// Promotes a challenger: its configuration becomes the policy's definition and a copy of its model becomes a
    /// new live version (source "promoted:{challenger}").
    /// </summary>
    /// <returns>The new version.</returns>
    public async Task<long> AdoptAsync(string name, Policy definition, BanditPolicy model, string source, CancellationToken cancellationToken)
    {
        var settings = PolicyValidator.Validate(definition);
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = Find(name) ?? throw new KeyNotFoundException($"policy '{name}' does not exist.");
            var path = Path.Combine(_policyDirectory, name + ".json");
            await File.WriteAllTextAsync(path + ".tmp", Json.Format(settings.Definition), cancellationToken).ConfigureAwait(false);
            File.Move(path + ".tmp", path, overwrite: true);
            var live = model.Clone();
            live.Exploration = settings.Exploration;
            var version = await _models.AllocateVersionAsync(name, state.LastVersion + 1, cancellationToken).ConfigureAwait(false);
            byte[] snapshot;
            lock (state.ModelLock)
            {
                state.RaiseLastVersion(version);
                state.Adopt(settings, live, version);
                using var buffer = new MemoryStream();
                live.WriteTo(buffer);
                snapshot = ModelFile.Encode(version, live.Updates, state.LastSequence, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            }

            await ModelFile.WriteAsync(ModelPath(name), snapshot, cancellationToken).ConfigureAwait(false);
            await StoreVersionAsync(name, version, source, live.Updates, snapshot, cancellationToken).ConfigureAwait(false);
            if (DefinitionAdopted is { } publish)
            {
                await publish(settings.Definition, cancellationToken).ConfigureAwait(false);
            }

            return version;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// Told the new definition when a challenger is promoted, so that processes sharing the policies get it too;
    /// null when this process is alone.
    /// </summary>
    public Func<Policy, CancellationToken, Task>? DefinitionAdopted { get; set; }

    /// <inheritdoc />
    public void Dispose() => _changes.Dispose();

    private async Task StoreVersionAsync(string policy, long version, string source, long events, byte[] snapshot, CancellationToken cancellationToken)
    {
        var entry = new ModelVersion
        {
            Version = version,
            CreatedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Source = source,
            EventsLearned = events,
        };
        await _models.AddAsync(policy, entry, snapshot, cancellationToken).ConfigureAwait(false);
        await _models.MarkLiveAsync(policy, version, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteLiveSnapshotAsync(string name, long version, long events, long sequence, BanditPolicy policy, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        policy.WriteTo(buffer);
        await ModelFile.WriteAsync(ModelPath(name), version, events, sequence, buffer.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> LastStoredVersionAsync(string name, CancellationToken cancellationToken) =>
        (await _models.ListAsync(name, cancellationToken).ConfigureAwait(false)).Select(v => v.Version).DefaultIfEmpty(0).Max();

    /// <summary>
    /// The model for changed model settings: the stored live version when it was made under them (a challenger
    /// another replica promoted, whose definition arrives here), else a new one.
    /// </summary>
    private async Task<(BanditPolicy Model, long StoredVersion)> StoredOrNewPolicyAsync(PolicySettings settings, CancellationToken cancellationToken)
    {
        var live = await _models.LiveVersionAsync(settings.Name, cancellationToken).ConfigureAwait(false);
        if (live > 0 && await _models.ReadAsync(settings.Name, live, cancellationToken).ConfigureAwait(false) is { } snapshot)
        {
            var stored = ModelFile.Decode(snapshot, $"model version {live} of policy '{settings.Name}'");
            if (stored.Policy.Settings == settings.Model)
            {
                stored.Policy.Exploration = settings.Exploration;
                return (stored.Policy, live);
            }
        }

        return (NewPolicy(settings), 0);
    }

    private static BanditPolicy NewPolicy(PolicySettings settings) => BanditPolicy.Create(settings.Model, settings.Exploration);

    private string ModelPath(string policy) => Path.Combine(_modelDirectory, policy + ".model");
}
