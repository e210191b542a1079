namespace Loops.Grpc;

/// <summary>How many messages each side of a call sends.</summary>
public enum MethodType
{
    /// <summary>One request, one response.</summary>
    Unary,
    /// <summary>A stream of requests, one response.</summary>
    ClientStreaming,
}
