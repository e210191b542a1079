using Loops.Contracts.V1;

namespace Loops.Service.Admin;

/// <summary>Shares policy changes with the other replicas of the service (when they share a feedback store).</summary>
internal interface IPolicyReplication
{
    /// <summary>Stores a policy definition where the other replicas load it from, and tells them.</summary>
    Task PublishAsync(Policy policy, CancellationToken cancellationToken);
}
