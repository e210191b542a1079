using System.Runtime.CompilerServices;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Loops.Grpc.AspNetCore.Internal;

/// <summary>Hands the request stream to the handler as it arrives, then writes its one response.</summary>
internal sealed class ClientStreamingCallHandler<TRequest, TResponse>(
    GrpcMethod<TRequest, TResponse> method,
    ClientStreamingServerMethod<TRequest, TResponse> handler)
    : ServerCallHandler(method.Path)
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    private readonly string _requestName = typeof(TRequest).Name;

    protected override async Task HandleCallAsync(HttpContext context, CallEnvironment environment, CancellationToken cancellationToken)
    {
        // A stream may carry far more than the server's default body limit; each message is still size-checked.
        var bodySize = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodySize is { IsReadOnly: false })
        {
            bodySize.MaxRequestBodySize = null;
        }

        var requests = ReadAllAsync(context, environment.Options.MaxReceiveMessageSize, cancellationToken);
        var response = await handler(requests, new ServerCallContext(context, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        ResponseWriter.WriteMessage(context, response);
    }

    private async IAsyncEnumerable<TRequest> ReadAllAsync(
        HttpContext context,
        int maxMessageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await RequestReader.ReadNextAsync(
                   context.Request.BodyReader, method.RequestDecoder, maxMessageSize, _requestName, cancellationToken)
               .ConfigureAwait(false) is { } request)
        {
            yield return request;
        }
    }
}
