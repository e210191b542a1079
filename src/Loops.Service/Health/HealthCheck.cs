using Grpc.Health.V1;
using Loops.Grpc;

namespace Loops.Service.Health;

/// <summary>The standard grpc.health.v1 Check: the whole server ("") and each of its services.</summary>
internal static class HealthCheck
{
    private static readonly HashSet<string> Services = new(StringComparer.Ordinal)
    {
        string.Empty,
        "loops.v1.DecisionService",
        "loops.v1.PolicyAdmin",
    };

    private static readonly HealthCheckResponse Serving = new() { Status = HealthCheckResponse.Types.ServingStatus.Serving };

    public static ValueTask<HealthCheckResponse> CheckAsync(HealthCheckRequest request) =>
        Services.Contains(request.Service)
            ? ValueTask.FromResult(Serving)
            : throw new GrpcException(StatusCode.NotFound, $"unknown service '{request.Service}'.");
}
