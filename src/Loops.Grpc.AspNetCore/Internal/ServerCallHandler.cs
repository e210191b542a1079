using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Loops.Grpc.AspNetCore.Internal;

/// <summary>
/// Protocol checks and error mapping shared by every method: HTTP/2 POST, identity encoding, the deadline from
/// <c>grpc-timeout</c>, and exceptions turned into deliberate statuses. Subclasses read requests and call the handler.
/// </summary>
internal abstract class ServerCallHandler(string path)
{
    protected string Path { get; } = path;

    protected abstract Task HandleCallAsync(HttpContext context, CallEnvironment environment, CancellationToken cancellationToken);

    // One async method for the whole call: a call that waits (for a log write, say) boxes a single state machine here.
    public async Task HandleAsync(HttpContext context, CallEnvironment environment)
    {
        var started = Stopwatch.GetTimestamp();
        if (RejectedByProtocol(context) is { } rejection)
        {
            ResponseWriter.WriteStatus(context, rejection.Status, rejection.Message);
            environment.Metrics.CallEnded(Path, rejection.Status, started);
            return;
        }

        var aborted = context.RequestAborted;
        using var deadline = StartDeadline(context, environment.TimeProvider, aborted);
        var token = deadline?.Token ?? aborted;
        StatusCode status;
        try
        {
            await HandleCallAsync(context, environment, token).ConfigureAwait(false);
            status = StatusCode.OK;
        }
        catch (Exception ex) when (ClientWentAway(ex, aborted))
        {
            GrpcServerLog.CancelledByClient(environment.Logger, Path);
            status = StatusCode.Cancelled;
        }
        catch (Exception ex) when (deadline is { IsCancellationRequested: true } && ex is OperationCanceledException or GrpcException)
        {
            GrpcServerLog.DeadlineExceeded(environment.Logger, Path);
            ResetIfStarted(context);
            status = StatusCode.DeadlineExceeded;
            ResponseWriter.WriteStatus(context, status, "Deadline exceeded.");
        }
        catch (GrpcException ex)
        {
            GrpcServerLog.CallFailed(environment.Logger, Path, ex.Status, ex.Message);
            status = ex.Status;
            ResponseWriter.WriteStatus(context, status, ex.Message);
        }
        catch (Exception ex)
        {
            GrpcServerLog.UnexpectedError(environment.Logger, Path, ex);
            var message = environment.Options.EnableDetailedErrors
                ? $"Exception was thrown by handler. {ex.GetType().Name}: {ex.Message}"
                : "Exception was thrown by handler.";
            status = StatusCode.Internal;
            ResponseWriter.WriteStatus(context, status, message);
        }

        environment.Metrics.CallEnded(Path, status, started);
    }

    // Kestrel can fail a read with ConnectionAbortedException before it cancels RequestAborted.
    private static bool ClientWentAway(Exception exception, CancellationToken aborted) =>
        (aborted.IsCancellationRequested && exception is OperationCanceledException or IOException)
        || exception is IOException { InnerException: ConnectionAbortedException };

    private static (StatusCode Status, string Message)? RejectedByProtocol(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            return (StatusCode.Internal, $"gRPC calls use POST, not {request.Method}.");
        }

        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            return (StatusCode.Internal, $"gRPC needs HTTP/2; the request came over {request.Protocol}.");
        }

        var encoding = request.Headers[GrpcProtocol.EncodingHeader];
        if (encoding.Count > 0 && !string.Equals(encoding[0], GrpcProtocol.IdentityEncoding, StringComparison.Ordinal))
        {
            return (StatusCode.Unimplemented,
                $"grpc-encoding '{encoding[0]}' is not supported by this server; send messages uncompressed (identity).");
        }

        return null;
    }

    private static CancellationTokenSource? StartDeadline(HttpContext context, TimeProvider timeProvider, CancellationToken aborted)
    {
        var header = context.Request.Headers[GrpcProtocol.TimeoutHeader];
        if (header.Count == 0 || !GrpcTimeout.TryParse(header[0], out var timeout))
        {
            return null;
        }

        var source = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        if (timeout <= TimeSpan.Zero)
        {
            source.Cancel();
        }
        else
        {
            // A timer from the injected clock, so deadline tests run on fake time.
            var timer = timeProvider.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), source, timeout, Timeout.InfiniteTimeSpan);
            source.Token.Register(static state => ((ITimer)state!).Dispose(), timer);
            context.Response.RegisterForDispose(timer);
        }

        return source;
    }

    private static void ResetIfStarted(HttpContext context)
    {
        // A handler that already wrote a message cannot take it back; clear what is only buffered.
        if (!context.Response.HasStarted)
        {
            context.Response.Headers.Clear();
            context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers.Clear();
        }
    }
}
