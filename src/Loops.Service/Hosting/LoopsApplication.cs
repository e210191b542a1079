using Loops.Contracts;
using Loops.Feedback;
using Loops.Grpc.AspNetCore;
using Loops.Service.Admin;
using Loops.Service.Decisions;
using Loops.Service.Health;
using Loops.Service.Hosting.Redis;
using Loops.Training;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Loops.Service.Hosting;

/// <summary>
/// Builds the service: opens the embedded store and the policy catalogue under the data directory, then serves
/// the gRPC API over HTTP/2 cleartext on the ASP.NET Core URLs (<c>--urls</c>, <c>ASPNETCORE_URLS</c>).
/// </summary>
public sealed class LoopsApplication : IAsyncDisposable
{
    private readonly IFeedbackStore _store;
    private readonly PolicyCatalog _catalog;

    private LoopsApplication(WebApplication app, IFeedbackStore store, PolicyCatalog catalog)
    {
        App = app;
        _store = store;
        _catalog = catalog;
    }

    /// <summary>The web application; start it with <c>RunAsync</c> or <c>StartAsync</c>.</summary>
    public WebApplication App { get; }

    /// <summary>Builds the application from command-line arguments and configuration.</summary>
    public static async Task<LoopsApplication> BuildAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var options = builder.Configuration.GetSection("Loops").Get<LoopsOptions>() ?? new LoopsOptions();
        options.DataDirectory = builder.Configuration["data-dir"] ?? options.DataDirectory;
        options.Validate();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // gRPC clients connect with HTTP/2 prior knowledge; cleartext endpoints must therefore be HTTP/2 only.
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpcTransport(grpc => grpc.MaxReceiveMessageSize = options.MaxReceiveMessageSize);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<TrainerOptions>(trainer =>
            trainer.SnapshotInterval = TimeSpan.FromSeconds(options.SnapshotIntervalSeconds));

        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        using var loggers = LoggerFactory.Create(logging => logging.AddConsole());
        IFeedbackStore store = RedisHosting.RedisConfiguration(builder.Configuration) is { } redis
            ? await RedisHosting.OpenAsync(builder, redis, dataDirectory, loggers, cancellationToken).ConfigureAwait(false)
            : await EmbeddedFeedbackStore.OpenAsync(
                new EmbeddedFeedbackStoreOptions { DataDirectory = dataDirectory, FlushToDisk = options.FlushToDisk },
                TimeProvider.System,
                loggers.CreateLogger<EmbeddedFeedbackStore>(),
                cancellationToken).ConfigureAwait(false);
        var catalog = await PolicyCatalog.OpenAsync(dataDirectory, loggers.CreateLogger<PolicyCatalog>(), cancellationToken)
            .ConfigureAwait(false);
        builder.Services.AddSingleton<IFeedbackStore>(store);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<Decider>();
        builder.Services.AddSingleton<RewardRecorder>();
        builder.Services.AddSingleton<PolicyAdmin>();
        builder.Services.AddHostedService<Trainer>();

        var app = builder.Build();
        await RedisHosting.StartReplicationAsync(app.Services, cancellationToken).ConfigureAwait(false);
        MapApi(app);
        return new LoopsApplication(app, store, catalog);
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
        app.UseGrpcTransport();
        app.MapGrpcUnary(LoopsMethods.Decide, (request, context) => decider.DecideAsync(request, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.Reward, (request, context) => rewards.RewardAsync(request, context.CancellationToken));
        app.MapGrpcClientStreaming(LoopsMethods.RewardStream, (requests, context) => rewards.RewardStreamAsync(requests, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.UpsertPolicy, (request, context) => admin.UpsertAsync(request, context.CancellationToken));
        app.MapGrpcUnary(LoopsMethods.GetPolicy, (request, _) => admin.GetAsync(request));
        app.MapGrpcUnary(LoopsMethods.ListPolicies, (_, _) => admin.ListAsync());
        app.MapGrpcUnary(LoopsMethods.HealthCheck, (request, _) => HealthCheck.CheckAsync(request));
        app.MapGrpcUnary(LoopsMethods.Echo, (request, _) => ValueTask.FromResult(request));
    }
}
