namespace Loops.Grpc.AspNetCore;

/// <summary>Names of the transport's metrics, for exporters to subscribe to.</summary>
public static class GrpcServerMetricsNames
{
    /// <summary>The meter of the server transport: <c>rpc.server.call.duration</c> by method and status code.</summary>
    public const string Meter = Internal.GrpcServerMetrics.MeterName;
}
