using Loops.Constraints.Ledgers;
using Loops.Contracts;
using Loops.Feedback;
using Loops.Grpc.AspNetCore;
using Loops.Service.Admin;
using Loops.Service.Dashboard;
using Loops.Service.Decisions;
using Loops.Service.Health;
using Loops.Service.Hosting.Redis;
using Loops.Training;

namespace Loops.Service.Hosting;

/// <summary>
/// Builds the service: opens the embedded store and the policy catalogue under the data directory, then serves
/// the gRPC API over HTTP/2 cleartext on the ASP.NET Core URLs (<c>--urls</c>, <c>ASPNETCORE_URLS</c>).
/// </summary>
public sealed class LoopsApplication : IAsyncDisposable
{
    private readonly IFeedbackStore _store;
    private readonly PolicyCatalog _catalog;

    private readonly KestrelEndpoints _endpoints;

    private LoopsApplication(WebApplication app, IFeedbackStore store, PolicyCatalog catalog, KestrelEndpoints endpoints)
    {
        App = app;
        _endpoints = endpoints;
        _store = store;
        _catalog = catalog;
    }

    /// <summary>The web application; start it with <c>RunAsync</c> or <c>StartAsync</c>.</summary>
    public WebApplication App { get; }

    /// <summary>The bound URLs of the web endpoint (dashboard, metrics, health), with real ports; empty before start or when none is configured.</summary>
    public IReadOnlyList<Uri> WebAddresses => _endpoints.WebAddresses;

    /// <summary>Builds the application from command-line arguments and configuration.</summary>
    public static async Task<LoopsApplication> BuildAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";
        if (builder.Configuration[$"Logging:LogLevel:{HostingDiagnostics}"] is null)
        {
            // Unless asked for, no per-request log lines: with them enabled ASP.NET Core also starts an Activity and
            // a log scope for every call, which costs the decision path more than the lines are worth.
            builder.Logging.AddFilter(HostingDiagnostics, LogLevel.None);
        }

        var options = builder.Configuration.GetSection("Loops").Get<LoopsOptions>() ?? new LoopsOptions();
        options.DataDirectory = builder.Configuration["data-dir"] ?? options.DataDirectory;
        options.Validate();

        options.WebUrls = builder.Configuration["web-urls"] ?? options.WebUrls;
        var endpoints = KestrelEndpoints.Configure(builder, options.WebUrls);
        builder.Services.AddGrpcTransport(grpc => grpc.MaxReceiveMessageSize = options.MaxReceiveMessageSize);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<TrainerOptions>(trainer =>
            trainer.SnapshotInterval = TimeSpan.FromSeconds(options.SnapshotIntervalSeconds));

        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        using var loggers = LoggerFactory.Create(logging => logging.AddConsole());
        IFeedbackStore store;
        IModelRepository? models = null;
        if (RedisHosting.RedisConfiguration(builder.Configuration) is { } redis)
        {
            (store, models) = await RedisHosting.OpenAsync(builder, redis, dataDirectory, loggers, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            store = await EmbeddedFeedbackStore.OpenAsync(
                new EmbeddedFeedbackStoreOptions { DataDirectory = dataDirectory, FlushToDisk = options.FlushToDisk },
                TimeProvider.System,
                loggers.CreateLogger<EmbeddedFeedbackStore>(),
                cancellationToken).ConfigureAwait(false);
            builder.Services.AddSingleton<ITrainingLeases, SoleTrainer>();
        }

        var catalog = await PolicyCatalog.OpenAsync(dataDirectory, loggers.CreateLogger<PolicyCatalog>(), cancellationToken, models)
            .ConfigureAwait(false);
        var ledger = await ConstraintLedgerRegistration.OpenAsync(builder.Configuration, dataDirectory, TimeProvider.System).ConfigureAwait(false);
        // Made by a factory so that the container disposes it with the application.
        builder.Services.AddSingleton<IConstraintLedger>(_ => ledger);
        builder.Services.AddSingleton<RecentDecisions>(_ => new RecentDecisions());
        builder.Services.AddSingleton<DecisionObserver>();
        builder.Services.AddSingleton<DecisionReleaser>();
        builder.Services.AddSingleton<DecisionInsights>();
        builder.Services.AddSingleton<IFeedbackStore>(store);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(services => new AuditLog(dataDirectory, services.GetRequiredService<TimeProvider>(), services.GetService<IAuditStore>()));
        builder.Services.AddSingleton<Decider>();
        builder.Services.AddSingleton<RewardRecorder>();
        builder.Services.AddSingleton<PolicyAdmin>();
        builder.Services.AddSingleton<ModelAdmin>();
        builder.Services.AddSingleton<PolicyTimelines>();
        builder.Services.AddHostedService<Trainer>();
        builder.Services.AddObservability();
        builder.Services.AddDashboard(builder.Configuration, dataDirectory);

        var app = builder.Build();
        await RedisHosting.StartReplicationAsync(app.Services, cancellationToken).ConfigureAwait(false);
        MapApi(app);
        app.MapObservability();
        app.MapDashboard();
        app.Lifetime.ApplicationStarted.Register(() => LogWebEndpoint(app, endpoints));
        return new LoopsApplication(app, store, catalog, endpoints);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        _catalog.Dispose();
    }

    private static void MapApi(WebApplication app)
    {
        var decider = app.Services.GetRequiredService<Decider>();
        var rewards = app.Services.GetRequiredService<RewardRecorder>();
        var admin = app.Services.GetRequiredService<PolicyAdmin>();
        var health = app.Services.GetRequiredService<HealthCheck>();
        // gRPC calls are answered before routing and the dashboard's authentication: they need neither, and those
        // middlewares would otherwise run (and allocate) on every decision. Named here, the web application does
        // not add them again in front.
        app.UseGrpcTransport();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcUnary(LoopsMethods.DecideAnswered, (request, context) => decider.DecideAsync(request, context.RequestBytes, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.Reward, (request, context) => rewards.RewardAsync(request, context.CancellationToken));
        app.MapGrpcClientStreaming(LoopsMethods.RewardStream, (requests, context) => rewards.RewardStreamAsync(requests, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.UpsertPolicy, (request, context) => admin.UpsertAsync(request, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.GetPolicy, (request, _) => admin.GetAsync(request));
        app.MapGrpcUnary(LoopsMethods.ListPolicies, (_, _) => admin.ListAsync());
        MapConstraintApi(app);
        MapModelApi(app);
        app.MapGrpcUnary(LoopsMethods.HealthCheck, (request, context) => health.CheckAsync(request, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.Echo, (request, _) => ValueTask.FromResult(request));
    }

    private static void MapConstraintApi(WebApplication app)
    {
        var releaser = app.Services.GetRequiredService<DecisionReleaser>();
        var insights = app.Services.GetRequiredService<DecisionInsights>();
        app.MapGrpcUnary(LoopsMethods.ReleaseDecision, (request, context) => releaser.ReleaseAsync(request, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.ExplainDecision, (request, context) => insights.ExplainAsync(request, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.GetPolicyReport, (request, context) => insights.ReportAsync(request, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.ListRecentDecisions, (request, _) => insights.RecentAsync(request));
        var timelines = app.Services.GetRequiredService<PolicyTimelines>();
        app.MapGrpcUnary(LoopsMethods.GetPolicyTimeline, (request, context) => timelines.TimelineAsync(request, context.CancellationToken));
    }

    private static void MapModelApi(WebApplication app)
    {
        var models = app.Services.GetRequiredService<ModelAdmin>();
        app.MapGrpcUnary(LoopsMethods.ListModels, (request, context) => models.ListModelsAsync(request, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.Promote, (request, context) => models.PromoteAsync(request, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.Rollback, (request, context) => models.RollbackAsync(request, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.ListEvaluations, (request, context) => models.ListEvaluationsAsync(request, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.ExportModel, (request, context) => models.ExportAsync(request, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.ImportModel, (request, context) => models.ImportAsync(request, context.CancellationToken));
    }

    private static void LogWebEndpoint(WebApplication app, KestrelEndpoints endpoints)
    {
        if (endpoints.HasWeb)
        {
            HostingLog.WebEndpoint(app.Logger, endpoints.WebUrlList);
            if (app.Services.GetRequiredService<DashboardLogins>().Token is { } token)
            {
                var logins = endpoints.WebAddresses.Select(address => new Uri(address, $"{DashboardPaths.Login}?token={token}"));
                DashboardLog.OneTimeToken(app.Logger, string.Join(", ", logins));
            }
        }
    }
}
