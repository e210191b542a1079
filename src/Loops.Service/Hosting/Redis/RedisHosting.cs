using Loops.Feedback;
using Loops.Feedback.Redis;
using Loops.Service.Admin;
using Loops.Training;

namespace Loops.Service.Hosting.Redis;

/// <summary>
/// Switches the service to Redis when <c>Loops:Feedback:Redis</c> (or <c>--redis host:port</c>) is set: the feedback
/// store, and the policy definitions shared by every replica. Without it the embedded store is used.
/// </summary>
internal static class RedisHosting
{
    /// <summary>The Redis server configured, or null for the embedded store.</summary>
    public static string? RedisConfiguration(IConfiguration configuration) =>
        configuration["redis"] is { Length: > 0 } option ? option
        : configuration["Loops:Feedback:Redis"] is { Length: > 0 } setting ? setting
        : null;

    /// <summary>
    /// Opens the Redis store (its spool under the data directory) and the model versions shared in Redis, and
    /// registers the policy replication and the training leases.
    /// </summary>
    public static async Task<(IFeedbackStore Store, IModelRepository Models)> OpenAsync(
        WebApplicationBuilder builder, string redis, string dataDirectory, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var options = builder.Configuration.GetSection("Loops:Feedback:RedisOptions").Get<RedisFeedbackStoreOptions>() ?? new RedisFeedbackStoreOptions();
        options.Configuration = redis;
        options.SpoolDirectory = Path.Combine(dataDirectory, "spool");
        var store = await RedisFeedbackStore.OpenAsync(options, TimeProvider.System, loggers.CreateLogger<RedisFeedbackStore>(), cancellationToken)
            .ConfigureAwait(false);
        var models = new RedisModelRepository(store.Connection, store.KeyPrefix);
        builder.Services.AddSingleton<IAuditStore>(new RedisAuditStore(store.Connection, store.KeyPrefix));
        builder.Services.AddSingleton(provider => new RedisPolicyReplication(
            store.Connection, store.KeyPrefix, provider.GetRequiredService<PolicyCatalog>(), provider.GetRequiredService<ILogger<RedisPolicyReplication>>()));
        builder.Services.AddSingleton<IPolicyReplication>(provider => provider.GetRequiredService<RedisPolicyReplication>());
        builder.Services.AddSingleton(provider => new RedisTrainingLeases(
            store.Connection, store.KeyPrefix, provider.GetRequiredService<PolicyCatalog>(), models, provider.GetRequiredService<ILogger<RedisTrainingLeases>>()));
        builder.Services.AddSingleton<ITrainingLeases>(provider => provider.GetRequiredService<RedisTrainingLeases>());
        builder.Services.AddHostedService(provider => provider.GetRequiredService<RedisTrainingLeases>());
        return (new UnavailableAsStatusStore(store), models);
    }

    /// <summary>
    /// Loads the shared policies into the catalogue (before the trainer starts) and follows their changes; a
    /// challenger promoted here is published to the other replicas.
    /// </summary>
    public static Task StartReplicationAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<RedisPolicyReplication>() is not { } replication)
        {
            return Task.CompletedTask;
        }

        services.GetRequiredService<PolicyCatalog>().DefinitionAdopted = replication.PublishAsync;
        return replication.StartAsync(cancellationToken);
    }
}
