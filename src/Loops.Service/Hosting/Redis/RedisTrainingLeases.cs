using System.Collections.Concurrent;
using Loops.Training;
using StackExchange.Redis;

namespace Loops.Service.Hosting.Redis;

/// <summary>
/// Training leases of replicas sharing Redis, one per policy (<c>{prefix}:trainer:{policy}</c>, renewed every second,
/// expiring after <see cref="LeaseTime"/>): the holder learns the policy's joined events and stores its versions; the
/// others serve the live version it stores, switching when the model channel announces a change (or, should a
/// notice be lost, at the next second's check). A replica that stops hands its leases back at once; one that dies
/// loses them when they expire, and another resumes from the last stored version.
/// </summary>
internal sealed partial class RedisTrainingLeases(
    IConnectionMultiplexer redis,
    string keyPrefix,
    PolicyCatalog catalog,
    RedisModelRepository models,
    ILogger<RedisTrainingLeases> logger) : BackgroundService, ITrainingLeases
{
    /// <summary>How long a lease outlives its holder's last renewal.</summary>
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(6);

    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    // Renews a lease this replica holds, or takes one nobody holds; 0 when another replica holds it.
    private const string Hold = """
        local owner = redis.call('GET', KEYS[1])
        if owner == ARGV[1] or not owner then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return owner and 1 or 2
        end
        return 0
        """;

    private const string Release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<string, bool> _trained = new(StringComparer.Ordinal);
    private long _generation;

    public bool Trains(string policy) => _trained.ContainsKey(policy);

    public long Generation => Interlocked.Read(ref _generation);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await redis.GetSubscriber().SubscribeAsync(models.Changes, (_, policy) => FollowInBackground(policy!, stoppingToken)).ConfigureAwait(false);
        using var timer = new PeriodicTimer(CheckInterval);
        try
        {
            do
            {
                foreach (var state in catalog.All)
                {
                    await CheckAsync(state.Settings.Name, stoppingToken).ConfigureAwait(false);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach (var policy in _trained.Keys)
        {
            try
            {
                await redis.GetDatabase().ScriptEvaluateAsync(Release, [LeaseKey(policy)], [_owner]).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or OperationCanceledException)
            {
                // It expires on its own.
            }
        }
    }

    /// <summary>Renews or takes the policy's lease, and follows the live version of a policy trained elsewhere.</summary>
    private async Task CheckAsync(string policy, CancellationToken cancellationToken)
    {
        try
        {
            var held = (int)await redis.GetDatabase()
                .ScriptEvaluateAsync(Hold, [LeaseKey(policy)], [_owner, (long)LeaseTime.TotalMilliseconds])
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            var trained = Trains(policy);
            if (held == 0)
            {
                if (trained && _trained.TryRemove(policy, out _))
                {
                    LogLeaseLost(logger, policy);
                }

                await catalog.FollowLiveAsync(policy, training: false, cancellationToken).ConfigureAwait(false);
            }
            else if (!trained)
            {
                // Resume from the last stored version, numbered after every version stored so far.
                await catalog.FollowLiveAsync(policy, training: false, cancellationToken).ConfigureAwait(false);
                await catalog.CatchUpVersionsAsync(policy, cancellationToken).ConfigureAwait(false);
                _trained[policy] = true;
                Interlocked.Increment(ref _generation);
                LogLeaseTaken(logger, policy);
            }
            else
            {
                await catalog.FollowLiveAsync(policy, training: true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or IOException or InvalidDataException)
        {
            LogCheckFailed(logger, policy, exception.Message);
        }
    }

    // Pub/sub handlers are synchronous; the swap runs off the subscriber's thread and logs its own failures.
    private void FollowInBackground(string policy, CancellationToken cancellationToken) => _ = FollowAsync(policy, cancellationToken);

    private async Task FollowAsync(string policy, CancellationToken cancellationToken)
    {
        try
        {
            if (await catalog.FollowLiveAsync(policy, Trains(policy), cancellationToken).ConfigureAwait(false))
            {
                LogFollowed(logger, policy, catalog.Find(policy)?.ModelVersion ?? 0);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or IOException or InvalidDataException or OperationCanceledException)
        {
            LogCheckFailed(logger, policy, exception.Message);
        }
    }

    private RedisKey LeaseKey(string policy) => $"{keyPrefix}:trainer:{policy}";

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "This replica now trains policy {Policy}")]
    private static partial void LogLeaseTaken(ILogger logger, string policy);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "Another replica took over training policy {Policy}")]
    private static partial void LogLeaseLost(ILogger logger, string policy);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Debug, Message = "Policy {Policy} now serves model version {Version} stored by its trainer")]
    private static partial void LogFollowed(ILogger logger, string policy, long version);

    [LoggerMessage(EventId = 5114, Level = LogLevel.Debug, Message = "Checking the training lease or live model of policy {Policy} failed: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string policy, string reason);
}
