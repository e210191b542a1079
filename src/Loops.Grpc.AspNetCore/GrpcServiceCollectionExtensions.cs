using Loops.Grpc.AspNetCore.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Loops.Grpc.AspNetCore;

/// <summary>Registers the gRPC server transport.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>Adds the services the gRPC middleware needs, with optional options.</summary>
    public static IServiceCollection AddGrpcTransport(
        this IServiceCollection services,
        Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GrpcServerOptions>()
            .Configure(options => configure?.Invoke(options))
            .Validate(o => o.MaxReceiveMessageSize > 0, "GrpcServerOptions.MaxReceiveMessageSize must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<GrpcMethodRegistry>();
        services.AddMetrics();
        services.TryAddSingleton<GrpcServerMetrics>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
