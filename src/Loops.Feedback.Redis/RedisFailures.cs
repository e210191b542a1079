using StackExchange.Redis;

namespace Loops.Feedback.Redis;

/// <summary>Tells failures that mean "Redis is not reachable or not ready now" from programming errors.</summary>
internal static class RedisFailures
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException => true,
        // Right after a restart Redis answers LOADING while it replays its append-only file.
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("BUSY", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal),
        _ => false,
    };
}
