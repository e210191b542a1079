using Loops.Feedback;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Loops.Service.Health;

/// <summary>Readiness: the feedback store can take decisions and rewards.</summary>
internal sealed class FeedbackStoreHealthCheck(IFeedbackStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await store.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return health.IsReachable
            ? HealthCheckResult.Healthy($"feedback store: {health.Description}")
            : HealthCheckResult.Unhealthy($"feedback store: {health.Description}");
    }
}
