namespace Loops.Grpc;

/// <summary>Options of a <see cref="GrpcChannel"/>.</summary>
public sealed record GrpcChannelOptions
{
    /// <summary>The largest response message accepted; default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; init; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>A handler to send requests through (tests, proxies); null: a pooled <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Whether the channel disposes <see cref="HttpHandler"/> with itself.</summary>
    public bool DisposeHttpHandler { get; init; } = true;
}
