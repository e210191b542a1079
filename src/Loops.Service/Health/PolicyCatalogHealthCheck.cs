using Loops.Training;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Loops.Service.Health;

/// <summary>Readiness: the policies and their models are loaded (the catalogue is opened before the server starts).</summary>
internal sealed class PolicyCatalogHealthCheck(PolicyCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy($"{catalog.All.Count} policies with their models loaded"));
}
