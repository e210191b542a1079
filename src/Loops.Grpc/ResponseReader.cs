using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Loops.Grpc;

/// <summary>Reads a gRPC response: status in headers (trailers-only) or one message followed by trailers.</summary>
internal static class ResponseReader
{
    public static async Task<TResponse> ReadUnaryAsync<TResponse>(
        HttpResponseMessage response,
        MessageParser<TResponse> parser,
        int maxMessageSize,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new GrpcException(
                FromHttpStatus(response.StatusCode),
                $"The server answered HTTP {(int)response.StatusCode} instead of a gRPC response.");
        }

        if (!GrpcProtocol.IsGrpcContentType(response.Content.Headers.ContentType?.MediaType))
        {
            throw new GrpcException(
                StatusCode.Unknown,
                $"The server answered with content type '{response.Content.Headers.ContentType}', not {GrpcProtocol.ContentType}.");
        }

        if (TryGetStatus(response.Headers) is { } trailersOnly)
        {
            ThrowIfError(trailersOnly);
            throw new GrpcException(StatusCode.Internal, "The server sent no response message.");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var message = await ReadMessageAsync(stream, parser, maxMessageSize, cancellationToken).ConfigureAwait(false);
            await DrainAsync(stream, cancellationToken).ConfigureAwait(false);
            var status = TryGetStatus(response.TrailingHeaders)
                ?? throw new GrpcException(StatusCode.Internal, "The server's response has no grpc-status trailer.");
            ThrowIfError(status);
            return message ?? throw new GrpcException(StatusCode.Internal, "The server sent no response message.");
        }
    }

    private static async Task<TResponse?> ReadMessageAsync<TResponse>(
        Stream stream,
        MessageParser<TResponse> parser,
        int maxMessageSize,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>
    {
        var prefix = new byte[GrpcProtocol.MessagePrefixSize];
        var read = await stream.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        if (read == 0)
        {
            return default;
        }

        if (read < prefix.Length)
        {
            throw new GrpcException(StatusCode.Internal, "The response ended inside a message prefix.");
        }

        if (prefix[0] != 0)
        {
            throw new GrpcException(StatusCode.Internal, "The response message is compressed, which was not negotiated.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(1));
        if (length > (uint)maxMessageSize)
        {
            throw new GrpcException(
                StatusCode.ResourceExhausted,
                $"Received message larger than max ({length} vs. {maxMessageSize} bytes).");
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            await stream.ReadExactlyAsync(buffer.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
            return parser.ParseFrom(buffer, 0, (int)length);
        }
        catch (EndOfStreamException ex)
        {
            throw new GrpcException(StatusCode.Internal, "The response ended inside a message.", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        var scratch = new byte[64];
        while (await stream.ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
        {
            // A unary response has one message; anything more is ignored, but read so the trailers arrive.
        }
    }

    private static (StatusCode Code, string Message)? TryGetStatus(HttpHeaders headers)
    {
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var values))
        {
            return null;
        }

        var text = values.FirstOrDefault();
        var code = int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? (StatusCode)value
            : StatusCode.Unknown;
        var message = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages)
            ? StatusMessageEncoding.Decode(messages.FirstOrDefault() ?? string.Empty)
            : string.Empty;
        return (code, message);
    }

    private static void ThrowIfError((StatusCode Code, string Message) status)
    {
        if (status.Code != StatusCode.OK)
        {
            throw new GrpcException(status.Code, status.Message);
        }
    }

    /// <summary>The status a gRPC client reports for an HTTP error, as the gRPC protocol maps them.</summary>
    internal static StatusCode FromHttpStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => StatusCode.Internal,
        HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
        HttpStatusCode.NotFound => StatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
