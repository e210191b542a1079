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

    /// <summary>Opens the Redis store (its spool under the data directory) and registers the policy replication.</summary>
    public static async Task<IFeedbackStore> OpenAsync(
        WebApplicationBuilder builder, string redis, string dataDirectory, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var options = builder.Configuration.GetSection("Loops:Feedback:RedisOptions").Get<RedisFeedbackStoreOptions>() ?? new RedisFeedbackStoreOptions();
        options.Configuration = redis;
        options.SpoolDirectory = Path.Combine(dataDirectory, "spool");
        var store = await RedisFeedbackStore.OpenAsync(options, TimeProvider.System, loggers.CreateLogger<RedisFeedbackStore>(), cancellationToken)
            .ConfigureAwait(false);
        builder.Services.AddSingleton(provider => new RedisPolicyReplication(
            store.Connection, store.KeyPrefix, provider.GetRequiredService<PolicyCatalog>(), provider.GetRequiredService<ILogger<RedisPolicyReplication>>()));
        builder.Services.AddSingleton<IPolicyReplication>(provider => provider.GetRequiredService<RedisPolicyReplication>());
        return new UnavailableAsStatusStore(store);
    }

    /// <summary>Loads the shared policies into the catalogue (before the trainer starts) and follows their changes.</summary>
    public static Task StartReplicationAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetService<RedisPolicyReplication>()?.StartAsync(cancellationToken) ?? Task.CompletedTask;
}
