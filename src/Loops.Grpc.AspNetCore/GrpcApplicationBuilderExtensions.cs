using Google.Protobuf;
using Loops.Grpc.AspNetCore.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Loops.Grpc.AspNetCore;

/// <summary>Serves gRPC methods from the ASP.NET Core pipeline.</summary>
public static class GrpcApplicationBuilderExtensions
{
    /// <summary>
    /// Adds the gRPC middleware: requests with a gRPC content type are answered by the mapped methods (unknown
    /// methods get UNIMPLEMENTED); every other request goes on down the pipeline.
    /// </summary>
    public static IApplicationBuilder UseGrpcTransport(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<GrpcMiddleware>();
    }

    /// <summary>Serves a unary method.</summary>
    public static IApplicationBuilder MapGrpcUnary<TRequest, TResponse>(
        this IApplicationBuilder app,
        GrpcMethod<TRequest, TResponse> method,
        UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        if (method.Type != MethodType.Unary)
        {
            throw new ArgumentException($"{method.Path} is not a unary method.", nameof(method));
        }

        Registry(app).Add(method.Path, new UnaryCallHandler<TRequest, TResponse>(method, handler));
        return app;
    }

    /// <summary>Serves a client-streaming method.</summary>
    public static IApplicationBuilder MapGrpcClientStreaming<TRequest, TResponse>(
        this IApplicationBuilder app,
        GrpcMethod<TRequest, TResponse> method,
        ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        if (method.Type != MethodType.ClientStreaming)
        {
            throw new ArgumentException($"{method.Path} is not a client-streaming method.", nameof(method));
        }

        Registry(app).Add(method.Path, new ClientStreamingCallHandler<TRequest, TResponse>(method, handler));
        return app;
    }

    private static GrpcMethodRegistry Registry(IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<GrpcMethodRegistry>();
}
