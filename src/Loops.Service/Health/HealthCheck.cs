using Grpc.Health.V1;
using Loops.Grpc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Loops.Service.Health;

/// <summary>
/// The standard grpc.health.v1 Check for the whole server ("") and each of its services: SERVING when the readiness
/// checks pass (the same ones as <c>/readyz</c>), NOT_SERVING otherwise.
/// </summary>
internal sealed class HealthCheck(HealthCheckService health)
{
    private static readonly HashSet<string> Services = new(StringComparer.Ordinal)
    {
        string.Empty,
        "loops.v1.DecisionService",
        "loops.v1.PolicyAdmin",
    };

    private static readonly HealthCheckResponse Serving = new() { Status = HealthCheckResponse.Types.ServingStatus.Serving };
    private static readonly HealthCheckResponse NotServing = new() { Status = HealthCheckResponse.Types.ServingStatus.NotServing };

    public async ValueTask<HealthCheckResponse> CheckAsync(HealthCheckRequest request, CancellationToken cancellationToken)
    {
        if (!Services.Contains(request.Service))
        {
            throw new GrpcException(StatusCode.NotFound, $"unknown service '{request.Service}'.");
        }

        var report = await health.CheckHealthAsync(ObservabilityEndpoints.IsReadinessCheck, cancellationToken).ConfigureAwait(false);
        return report.Status == HealthStatus.Healthy ? Serving : NotServing;
    }
}
