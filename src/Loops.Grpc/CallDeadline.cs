namespace Loops.Grpc;

/// <summary>The cancellation of one client call: the caller's token joined with its deadline.</summary>
internal sealed class CallDeadline : IDisposable
{
    private readonly CancellationTokenSource? _source;
    private readonly CancellationToken _callerToken;

    private CallDeadline(CancellationTokenSource? source, CancellationToken callerToken)
    {
        _source = source;
        _callerToken = callerToken;
        Token = source?.Token ?? callerToken;
    }

    public CancellationToken Token { get; }

    public static CallDeadline Start(CallOptions options)
    {
        if (options.Timeout is not { } timeout)
        {
            return new CallDeadline(null, options.CancellationToken);
        }

        var source = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        source.CancelAfter(timeout);
        return new CallDeadline(source, options.CancellationToken);
    }

    /// <summary>Turns a transport failure into the status a gRPC client reports for it.</summary>
    public GrpcException Translate(Exception exception)
    {
        if (exception is OperationCanceledException)
        {
            return _callerToken.IsCancellationRequested
                ? new GrpcException(StatusCode.Cancelled, "The call was cancelled by the caller.", exception)
                : new GrpcException(StatusCode.DeadlineExceeded, "The call's deadline was exceeded.", exception);
        }

        return exception switch
        {
            HttpRequestException or IOException => new GrpcException(
                StatusCode.Unavailable, "The server could not be reached: " + exception.Message, exception),
            _ => new GrpcException(StatusCode.Internal, "The call failed: " + exception.Message, exception),
        };
    }

    public void Dispose() => _source?.Dispose();
}
