using Microsoft.Extensions.Logging;

namespace Loops.Feedback.Redis;

/// <summary>The log messages of the Redis feedback store.</summary>
internal static partial class RedisFeedbackLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Redis feedback store opened on {Configuration} (prefix {Prefix}, {Partitions} partitions, consumer {Consumer}, connected {Connected}, {SpoolBytes} spooled bytes)")]
    public static partial void Opened(ILogger logger, string configuration, string prefix, int partitions, string consumer, bool connected, long spoolBytes);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Redis is unavailable; {Count} records go to the local spool")]
    public static partial void Spooling(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Replayed {Count} spooled records to Redis")]
    public static partial void Replayed(ILogger logger, long count);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "The joiner cannot reach Redis; retrying")]
    public static partial void JoinerUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "The joiner failed; retrying")]
    public static partial void JoinerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Claimed {Count} entries of partition {Partition} from stalled joiners")]
    public static partial void Claimed(ILogger logger, int count, int partition);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Joined events {From} to {To} were trimmed from Redis before this reader saw them")]
    public static partial void JoinedGap(ILogger logger, long from, long to);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Replaying the spool failed; retrying")]
    public static partial void ReplayFailed(ILogger logger, Exception exception);
}
