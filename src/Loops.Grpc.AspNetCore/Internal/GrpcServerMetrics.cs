using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Loops.Grpc.AspNetCore.Internal;

/// <summary>
/// Per-call metrics of the transport, named after OpenTelemetry's RPC semantic conventions: the duration of every
/// call, tagged with its method and final gRPC status, so error rates by status come from the same instrument.
/// </summary>
internal sealed class GrpcServerMetrics : IDisposable
{
    /// <summary>The meter's name, for exporters to subscribe to.</summary>
    public const string MeterName = "Loops.Grpc.Server";

    private readonly Meter _meter;
    private readonly Histogram<double> _duration;

    public GrpcServerMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _duration = _meter.CreateHistogram<double>(
            "rpc.server.call.duration",
            unit: "s",
            description: "Duration of gRPC calls handled by the server, by method and status code.",
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            });
    }

    public void CallEnded(string method, StatusCode status, long startedTimestamp)
    {
        if (!_duration.Enabled)
        {
            return;
        }

        _duration.Record(
            Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>("rpc.method", method),
            new KeyValuePair<string, object?>("rpc.grpc.status_code", (int)status));
    }

    public void Dispose() => _meter.Dispose();
}
