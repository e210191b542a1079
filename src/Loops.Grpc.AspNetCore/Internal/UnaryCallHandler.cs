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
        var body = context.Request.BodyReader;
        var frame = await RequestReader.ReadFrameAsync(body, environment.Options.MaxReceiveMessageSize, cancellationToken).ConfigureAwait(false)
            ?? throw new GrpcException(StatusCode.Internal, $"The request has no {_requestName} message.");

        // The request's bytes stay in the body's buffer until the handler is done, so it can read them too.
        try
        {
            var request = RequestReader.Parse(method.RequestDecoder, frame.Payload, _requestName);
            var response = await handler(request, new ServerCallContext(context, frame.Payload, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            ResponseWriter.WriteMessage(context, response);
        }
        finally
        {
            body.AdvanceTo(frame.End);
        }
    }
}
