using StackExchange.Redis;

namespace Loops.Feedback.Redis.Tests;

/// <summary>Stream commands for assertions (StackExchange.Redis 1.2.6 has no typed stream API).</summary>
internal static class StreamCommands
{
    public static async Task<long> StreamLengthAsync(this IDatabase db, RedisKey key) =>
        (long)await db.ExecuteAsync("XLEN", (string)key!);
}
