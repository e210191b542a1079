using Microsoft.AspNetCore.Http;

namespace Loops.Grpc.AspNetCore;

/// <summary>What a method handler knows about its call.</summary>
public readonly struct ServerCallContext
{
    internal ServerCallContext(HttpContext httpContext, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        CancellationToken = cancellationToken;
    }

    /// <summary>The HTTP/2 request and response of the call (headers are the call's metadata).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>Cancelled when the client cancels the call or its deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>A request header (metadata entry), or null.</summary>
    public string? GetHeader(string name)
    {
        var values = HttpContext.Request.Headers[name];
        return values.Count == 0 ? null : values[0];
    }
}
