using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Loops.Grpc.AspNetCore.Internal;

/// <summary>Writes gRPC responses: the message with its prefix, then the status as trailers (or trailers-only).</summary>
internal static class ResponseWriter
{
    private static readonly StringValues GrpcContentType = new(GrpcProtocol.ContentType);
    private static readonly StringValues IdentityEncoding = new(GrpcProtocol.IdentityEncoding);
    private static readonly StringValues[] StatusValues = Enumerable.Range(0, 17)
        .Select(code => new StringValues(code.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        .ToArray();

    public static void WriteMessage(HttpContext context, IMessage message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.ContentType = GrpcContentType;
        MessageFraming.Write(response.BodyWriter, message);
        SetTrailer(context, GrpcProtocol.StatusHeader, StatusValues[0]);
    }

    /// <summary>
    /// Ends the call with a status: in the headers when nothing was sent yet (trailers-only), else in trailers.
    /// </summary>
    public static void WriteStatus(HttpContext context, StatusCode status, string message)
    {
        var response = context.Response;
        var encoded = StatusMessageEncoding.Encode(message);
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.Headers.ContentType = GrpcContentType;
            response.Headers[GrpcProtocol.AcceptEncodingHeader] = IdentityEncoding;
            response.Headers[GrpcProtocol.StatusHeader] = StatusValues[(int)status];
            if (encoded.Length > 0)
            {
                response.Headers[GrpcProtocol.MessageHeader] = encoded;
            }

            return;
        }

        SetTrailer(context, GrpcProtocol.StatusHeader, StatusValues[(int)status]);
        if (encoded.Length > 0)
        {
            SetTrailer(context, GrpcProtocol.MessageHeader, encoded);
        }
    }

    private static void SetTrailer(HttpContext context, string name, StringValues value)
    {
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers
            ?? throw new InvalidOperationException("The server does not support response trailers; gRPC needs HTTP/2.");
        trailers[name] = value;
    }
}
