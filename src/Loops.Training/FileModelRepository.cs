using System.Collections.Concurrent;
using Loops.Contracts.V1;

namespace Loops.Training;

/// <summary>
/// The embedded model repository: one <see cref="ModelVersionStore"/> (files under <c>{data}/models/{policy}/</c>)
/// per policy. Numbers are unique because only this process writes here.
/// </summary>
public sealed class FileModelRepository(string modelDirectory) : IModelRepository
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ModelVersionStore>>> _stores = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersion>> ListAsync(string policy, CancellationToken cancellationToken) =>
        (await StoreAsync(policy, cancellationToken).ConfigureAwait(false)).Versions;

    /// <inheritdoc />
    public async Task<long> AllocateVersionAsync(string policy, long atLeast, CancellationToken cancellationToken)
    {
        var versions = (await StoreAsync(policy, cancellationToken).ConfigureAwait(false)).Versions;
        return Math.Max(atLeast, versions.Count == 0 ? 1 : versions[^1].Version + 1);
    }

    /// <inheritdoc />
    public async Task AddAsync(string policy, ModelVersion entry, byte[] snapshot, CancellationToken cancellationToken) =>
        await (await StoreAsync(policy, cancellationToken).ConfigureAwait(false)).AddAsync(entry, snapshot, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<byte[]?> ReadAsync(string policy, long version, CancellationToken cancellationToken)
    {
        var store = await StoreAsync(policy, cancellationToken).ConfigureAwait(false);
        return store.Contains(version) && File.Exists(store.PathOf(version))
            ? await File.ReadAllBytesAsync(store.PathOf(version), cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <inheritdoc />
    public async Task MarkLiveAsync(string policy, long version, CancellationToken cancellationToken) =>
        await (await StoreAsync(policy, cancellationToken).ConfigureAwait(false)).MarkLiveAsync(version, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<long> LiveVersionAsync(string policy, CancellationToken cancellationToken) =>
        (await StoreAsync(policy, cancellationToken).ConfigureAwait(false)).Versions.FirstOrDefault(v => v.Live)?.Version ?? 0;

    private Task<ModelVersionStore> StoreAsync(string policy, CancellationToken cancellationToken) =>
        _stores.GetOrAdd(policy, name => new Lazy<Task<ModelVersionStore>>(() => ModelVersionStore.OpenAsync(modelDirectory, name, CancellationToken.None)))
            .Value.WaitAsync(cancellationToken);
}
