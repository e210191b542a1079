using Loops.Grpc.AspNetCore;
using Loops.Service.Observability;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Loops.Service.Health;

/// <summary>
/// Metrics and health for operators: <c>/metrics</c> in the Prometheus text format (OpenTelemetry's exporter over the
/// <c>System.Diagnostics.Metrics</c> instruments of the service and its gRPC transport), <c>/healthz</c> (liveness:
/// the process answers) and <c>/readyz</c> (readiness: the feedback store is reachable and the models are loaded).
/// </summary>
internal static class ObservabilityEndpoints
{
    private const string ReadinessTag = "ready";

    /// <summary>Selects the checks that make up readiness.</summary>
    public static bool IsReadinessCheck(HealthCheckRegistration registration) => registration.Tags.Contains(ReadinessTag);

    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddSingleton<PolicyReportTally>();
        services.AddHostedService(provider => provider.GetRequiredService<PolicyReportTally>());
        services.AddSingleton<LoopsMetrics>();
        services.AddSingleton<HealthCheck>();
        services.AddHealthChecks()
            .AddCheck<FeedbackStoreHealthCheck>("feedback-store", tags: [ReadinessTag])
            .AddCheck<PolicyCatalogHealthCheck>("models", tags: [ReadinessTag]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("loops"))
            .WithMetrics(metrics => metrics
            .AddMeter(LoopsMetrics.MeterName, GrpcServerMetricsNames.Meter)
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    public static void MapObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = IsReadinessCheck });
    }
}
