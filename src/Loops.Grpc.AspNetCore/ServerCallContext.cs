using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Loops.Grpc.AspNetCore;

/// <summary>What a method handler knows about its call.</summary>
public readonly struct ServerCallContext
{
    internal ServerCallContext(HttpContext httpContext, CancellationToken cancellationToken)
        : this(httpContext, ReadOnlySequence<byte>.Empty, cancellationToken)
    {
    }

    internal ServerCallContext(HttpContext httpContext, ReadOnlySequence<byte> requestBytes, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        RequestBytes = requestBytes;
        CancellationToken = cancellationToken;
    }

    /// <summary>The HTTP/2 request and response of the call (headers are the call's metadata).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>
    /// The encoded request message of a unary call (empty for streaming calls), for a handler that stores or forwards
    /// it without encoding it again. Valid only until the handler's task completes: copy what must outlive it.
    /// </summary>
    public ReadOnlySequence<byte> RequestBytes { get; }

    /// <summary>Cancelled when the client cancels the call or its deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>A request header (metadata entry), or null.</summary>
    public string? GetHeader(string name)
    {
        var values = HttpContext.Request.Headers[name];
        return values.Count == 0 ? null : values[0];
    }
}
