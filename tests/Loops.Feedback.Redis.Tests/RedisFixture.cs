using Loops.Redis.Tests;

namespace Loops.Feedback.Redis.Tests;

/// <summary>One redis-server per test class; each test uses key prefixes of its own.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
