namespace Loops.Grpc;

/// <summary>
/// A call that ended with a non-OK gRPC status. Servers throw it to answer with that status and message;
/// clients receive it when the server answered with one.
/// </summary>
public sealed class GrpcException : Exception
{
    /// <summary>Creates an exception carrying a status and the message sent to the caller.</summary>
    public GrpcException(StatusCode status, string message)
        : base(message)
    {
        Status = status;
    }

    /// <summary>Creates an exception carrying a status, the message sent to the caller and a cause.</summary>
    public GrpcException(StatusCode status, string message, Exception innerException)
        : base(message, innerException)
    {
        Status = status;
    }

    /// <summary>The gRPC status of the call.</summary>
    public StatusCode Status { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Status}: {Message}";
}
