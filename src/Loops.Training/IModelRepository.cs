using Loops.Contracts.V1;

namespace Loops.Training;

/// <summary>
/// Where a catalogue keeps its policies' immutable, numbered model versions and which one is live: files under the
/// data directory for the embedded store, versioned keys with a change notice when replicas share Redis. Snapshots
/// are in the <see cref="ModelFile"/> format, so an exported version is a model file. Failures to reach the
/// repository surface as <see cref="IOException"/>.
/// </summary>
public interface IModelRepository
{
    /// <summary>A policy's stored versions, oldest first, the live one flagged; empty when it has none.</summary>
    Task<IReadOnlyList<ModelVersion>> ListAsync(string policy, CancellationToken cancellationToken);

    /// <summary>
    /// A version number no other version of the policy has or will get: at least <paramref name="atLeast"/>, and
    /// unique across every process sharing the repository.
    /// </summary>
    Task<long> AllocateVersionAsync(string policy, long atLeast, CancellationToken cancellationToken);

    /// <summary>Stores a new version (its snapshot is never written again).</summary>
    Task AddAsync(string policy, ModelVersion entry, byte[] snapshot, CancellationToken cancellationToken);

    /// <summary>A stored version's snapshot, or null when it is not stored.</summary>
    Task<byte[]?> ReadAsync(string policy, long version, CancellationToken cancellationToken);

    /// <summary>Records which version is live (and tells the processes that share the repository).</summary>
    Task MarkLiveAsync(string policy, long version, CancellationToken cancellationToken);

    /// <summary>The live version recorded, or 0 when none is.</summary>
    Task<long> LiveVersionAsync(string policy, CancellationToken cancellationToken);
}
