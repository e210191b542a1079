namespace Loops.Grpc.AspNetCore;

/// <summary>Handles a unary call.</summary>
public delegate ValueTask<TResponse> UnaryServerMethod<in TRequest, TResponse>(TRequest request, ServerCallContext context);

/// <summary>Handles a client-streaming call: consume the requests, return one response.</summary>
public delegate ValueTask<TResponse> ClientStreamingServerMethod<TRequest, TResponse>(
    IAsyncEnumerable<TRequest> requests,
    ServerCallContext context);
