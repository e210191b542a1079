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
                    state.Dirty = false;
                }

                await ModelFile.WriteAsync(ModelPath(state.Settings.Name), version, events, sequence, bytes, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _changes.Dispose();

    private static BanditPolicy NewPolicy(PolicySettings settings) => BanditPolicy.Create(settings.Model, settings.Exploration);

    private string ModelPath(string policy) => Path.Combine(_modelDirectory, policy + ".model");
}
