namespace Loops.Grpc;

/// <summary>Names and constants of the gRPC-over-HTTP/2 protocol.</summary>
public static class GrpcProtocol
{
    /// <summary>The content type of gRPC requests and responses.</summary>
    public const string ContentType = "application/grpc";

    /// <summary>The trailer carrying the status code.</summary>
    public const string StatusHeader = "grpc-status";

    /// <summary>The trailer carrying the percent-encoded status message.</summary>
    public const string MessageHeader = "grpc-message";

    /// <summary>The request header carrying the call's timeout.</summary>
    public const string TimeoutHeader = "grpc-timeout";

    /// <summary>The header naming the compression of the messages.</summary>
    public const string EncodingHeader = "grpc-encoding";

    /// <summary>The header listing the compressions a peer accepts.</summary>
    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    /// <summary>The only message encoding this transport speaks.</summary>
    public const string IdentityEncoding = "identity";

    /// <summary>The size of the prefix of each message: a compressed flag and a big-endian length.</summary>
    public const int MessagePrefixSize = 5;

    /// <summary>The default limit of a received message, as in other gRPC implementations: 4 MiB.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>True when a content type is gRPC's (<c>application/grpc</c>, optionally <c>+proto</c> or parameters).</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (contentType.Length == ContentType.Length)
        {
            return true;
        }

        var next = contentType[ContentType.Length];
        return next is '+' or ';';
    }
}
