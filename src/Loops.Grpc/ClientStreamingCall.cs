using Google.Protobuf;

namespace Loops.Grpc;

/// <summary>A client-streaming call in progress: write requests, then <see cref="CompleteAsync"/> for the response.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
public sealed class ClientStreamingCall<TRequest, TResponse> : IDisposable
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    private readonly StreamingContent<TRequest> _content;
    private readonly Task<TResponse> _response;
    private readonly CallDeadline _deadline;

    internal ClientStreamingCall(StreamingContent<TRequest> content, Task<TResponse> response, CallDeadline deadline)
    {
        _content = content;
        _response = response;
        _deadline = deadline;
    }

    /// <summary>Sends one request message; waits when the stream is not keeping up.</summary>
    /// <exception cref="GrpcException">The call already ended with a non-OK status.</exception>
    public async ValueTask WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_response.IsCompleted)
        {
            await _response.ConfigureAwait(false);
            throw new GrpcException(StatusCode.Internal, "The server ended the call before the client completed it.");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token);
        await _content.WriteAsync(message, linked.Token).ConfigureAwait(false);
    }

    /// <summary>Ends the request stream and returns the server's response.</summary>
    /// <exception cref="GrpcException">The server answered with a non-OK status.</exception>
    public Task<TResponse> CompleteAsync()
    {
        _content.Complete();
        return _response;
    }

    /// <summary>Cancels the call if it has not completed.</summary>
    public void Dispose()
    {
        _content.Complete(new OperationCanceledException("The call was disposed."));
        if (_response.IsCompleted)
        {
            _deadline.Dispose();
        }
    }
}
