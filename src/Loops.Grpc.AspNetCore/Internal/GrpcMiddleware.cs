using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Loops.Grpc.AspNetCore.Internal;

/// <summary>Routes gRPC requests to their method handlers; everything else continues down the pipeline.</summary>
internal sealed class GrpcMiddleware(
    RequestDelegate next,
    GrpcMethodRegistry registry,
    IOptions<GrpcServerOptions> options,
    TimeProvider timeProvider,
    GrpcServerMetrics metrics,
    ILogger<GrpcMiddleware> logger)
{
    private readonly CallEnvironment _environment = new(options.Value, timeProvider, logger, metrics);

    public Task InvokeAsync(HttpContext context)
    {
        if (!GrpcProtocol.IsGrpcContentType(context.Request.ContentType))
        {
            return next(context);
        }

        var path = context.Request.Path.Value ?? string.Empty;
        if (registry.TryGet(path, out var handler))
        {
            return handler.HandleAsync(context, _environment);
        }

        GrpcServerLog.MethodNotFound(logger, path);
        // One tag for every unknown path: callers must not be able to grow the metric without bound.
        metrics.CallEnded("unknown", StatusCode.Unimplemented, Stopwatch.GetTimestamp());
        ResponseWriter.WriteStatus(
            context,
            StatusCode.Unimplemented,
            $"Method {path} is not implemented by this server.");
        return Task.CompletedTask;
    }
}
