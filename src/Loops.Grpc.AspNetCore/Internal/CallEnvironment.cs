using Microsoft.Extensions.Logging;

namespace Loops.Grpc.AspNetCore.Internal;

/// <summary>What every call handler shares: options, the clock for deadlines, the log, the metrics.</summary>
internal sealed record CallEnvironment(GrpcServerOptions Options, TimeProvider TimeProvider, ILogger Logger, GrpcServerMetrics Metrics);
