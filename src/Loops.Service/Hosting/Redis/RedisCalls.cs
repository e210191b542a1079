using StackExchange.Redis;

namespace Loops.Service.Hosting.Redis;

/// <summary>Calls to Redis whose failure callers handle like an unreadable or unwritable disk.</summary>
internal static class RedisCalls
{
    /// <summary>Awaits a Redis call; a Redis failure or timeout becomes an <see cref="IOException"/> naming <paramref name="what"/>.</summary>
    public static async Task<T> AsIOAsync<T>(this Task<T> call, string what, CancellationToken cancellationToken)
    {
        await ((Task)call).AsIOAsync(what, cancellationToken).ConfigureAwait(false);
        return await call.ConfigureAwait(false);
    }

    /// <summary>Awaits a Redis call without a result; failures as in <see cref="AsIOAsync{T}"/>.</summary>
    public static async Task AsIOAsync(this Task call, string what, CancellationToken cancellationToken)
    {
        try
        {
            await call.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw new IOException($"{what} in Redis is not reachable: {exception.Message}", exception);
        }
    }
}
