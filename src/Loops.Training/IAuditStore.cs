using Loops.Contracts.V1;

namespace Loops.Training;

/// <summary>
/// Audit records shared by every replica (Redis), so that ListEvaluations lists the trainer's evaluations and every
/// administrator's promotion whichever replica is asked. Failures to reach it surface as <see cref="IOException"/>.
/// </summary>
public interface IAuditStore
{
    /// <summary>Stores a record under a new id unique across replicas; returns the id.</summary>
    Task<long> AppendAsync(Evaluation record, CancellationToken cancellationToken);

    /// <summary>A policy's most recent records, newest first.</summary>
    Task<IReadOnlyList<Evaluation>> RecentAsync(string policy, int limit, CancellationToken cancellationToken);
}
