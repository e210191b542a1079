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
    private readonly Dictionary<string, ModelVersionStore> _versions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly string _policyDirectory;
    private readonly string _modelDirectory;
    private readonly ILogger _logger;

    private PolicyCatalog(string dataDirectory, ILogger logger)
    {
        _policyDirectory = Path.Combine(dataDirectory, "policies");
        _modelDirectory = Path.Combine(dataDirectory, "models");
        _logger = logger;
        Directory.CreateDirectory(_policyDirectory);
        Directory.CreateDirectory(_modelDirectory);
    }

    /// <summary>Opens the catalogue under a data directory, loading every stored policy and its latest model.</summary>
    public static async Task<PolicyCatalog> OpenAsync(string dataDirectory, ILogger<PolicyCatalog> logger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var catalog = new PolicyCatalog(dataDirectory, logger);
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

            var versions = await ModelVersionStore.OpenAsync(catalog._modelDirectory, settings.Name, cancellationToken).ConfigureAwait(false);
            state.RaiseLastVersion(versions.Versions.Select(v => v.Version).DefaultIfEmpty(0).Max());
            catalog._versions[settings.Name] = versions;
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
                existing.Replace(settings, keepModel ? null : NewPolicy(settings));
                TrainingLog.PolicyChanged(_logger, settings.Name, !keepModel);
                return existing;
            }

            var state = new PolicyState(settings, NewPolicy(settings), 1, 0, 0);
            var versions = await ModelVersionStore.OpenAsync(_modelDirectory, settings.Name, cancellationToken).ConfigureAwait(false);

            // A policy deleted by hand and created again continues the numbering of its stored versions.
            state.RaiseLastVersion(versions.Versions.Select(v => v.Version).DefaultIfEmpty(0).Max());
            _versions[settings.Name] = versions;
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
    public async Task SaveModelsAsync(CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var state in _policies.Values)
            {
                if (!state.Dirty)
                {
                    continue;
                }

                byte[] bytes;
                long events;
                long sequence;
                long version;
                lock (state.ModelLock)
                {
                    using var buffer = new MemoryStream();
                    state.Policy.WriteTo(buffer);
                    bytes = buffer.ToArray();
                    events = state.EventsLearned;
                    sequence = state.LastSequence;
                    version = state.NextVersion();
                    state.Renumber(version);
                    state.Dirty = false;
                }

                await ModelFile.WriteAsync(ModelPath(state.Settings.Name), version, events, sequence, bytes, cancellationToken)
                    .ConfigureAwait(false);
                await StoreVersionAsync(state, version, "online", events, sequence, bytes, cancellationToken).ConfigureAwait(false);
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
            return _versions.TryGetValue(policy, out var versions) ? versions.Versions : [];
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
            var versions = _versions[name];
            var (policy, events) = await versions.LoadAsync(version, cancellationToken).ConfigureAwait(false);
            long sequence;
            lock (state.ModelLock)
            {
                state.Swap(policy, version, remember: !rollback);
                sequence = state.LastSequence;
            }

            using var buffer = new MemoryStream();
            policy.WriteTo(buffer);
            await ModelFile.WriteAsync(ModelPath(name), version, events, sequence, buffer.ToArray(), cancellationToken).ConfigureAwait(false);
            await versions.MarkLiveAsync(version, cancellationToken).ConfigureAwait(false);
            return versions.Versions.First(v => v.Version == version);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>The version that was live before the current one and is still stored, or null.</summary>
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
                if (_versions.TryGetValue(name, out var versions) && versions.Contains(version) && version != state.ModelVersion)
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
            byte[] bytes;
            long version;
            long sequence;
            lock (state.ModelLock)
            {
                version = state.NextVersion();
                state.Adopt(settings, live, version);
                sequence = state.LastSequence;
                using var buffer = new MemoryStream();
                live.WriteTo(buffer);
                bytes = buffer.ToArray();
            }

            await ModelFile.WriteAsync(ModelPath(name), version, live.Updates, sequence, bytes, cancellationToken).ConfigureAwait(false);
            await StoreVersionAsync(state, version, source, live.Updates, sequence, bytes, cancellationToken).ConfigureAwait(false);
            return version;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _changes.Dispose();

    private Task StoreVersionAsync(PolicyState state, long version, string source, long events, long sequence, byte[] bytes, CancellationToken cancellationToken)
    {
        var entry = new ModelVersion
        {
            Version = version,
            CreatedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Source = source,
            EventsLearned = events,
        };
        return _versions[state.Settings.Name].AddAsync(entry, sequence, bytes, cancellationToken);
    }

    private static BanditPolicy NewPolicy(PolicySettings settings) => BanditPolicy.Create(settings.Model, settings.Exploration);

    private string ModelPath(string policy) => Path.Combine(_modelDirectory, policy + ".model");
}
