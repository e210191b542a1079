namespace Loops.Grpc.AspNetCore;

/// <summary>Options of the gRPC server transport, validated when the first call arrives.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>The largest request message accepted; larger ones get RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>
    /// Whether the message of an unexpected exception is sent to callers (never its stack trace). Default false:
    /// callers get a generic INTERNAL status and the details go to the log.
    /// </summary>
    public bool EnableDetailedErrors { get; set; }
}
