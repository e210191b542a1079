using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Loops.Grpc.AspNetCore.Internal;

/// <summary>Reads one request, calls the handler, writes one response.</summary>
internal sealed class UnaryCallHandler<TRequest, TResponse>(
    GrpcMethod<TRequest, TResponse> method,
    UnaryServerMethod<TRequest, TResponse> handler)
    : ServerCallHandler(method.Path)
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    private readonly string _requestName = typeof(TRequest).Name;

    protected override async Task HandleCallAsync(HttpContext context, CallEnvironment environment, CancellationToken cancellationToken)
    {
        var request = await RequestReader.ReadNextAsync(
                context.Request.BodyReader,
                method.RequestDecoder,
                environment.Options.MaxReceiveMessageSize,
                _requestName,
                cancellationToken).ConfigureAwait(false)
            ?? throw new GrpcException(StatusCode.Internal, $"The request has no {_requestName} message.");
        var response = await handler(request, new ServerCallContext(context, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        ResponseWriter.WriteMessage(context, response);
    }
}
