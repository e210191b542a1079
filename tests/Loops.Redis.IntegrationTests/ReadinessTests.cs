using System.Net;
using Loops.Client;

namespace Loops.Redis.Tests;

/// <summary>
/// Readiness follows Redis: <c>/readyz</c> and the gRPC health check turn not-ready when redis-server stops and ready
/// again when it is back, while <c>/healthz</c> (liveness) stays OK throughout.
/// </summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private RedisServer _redis = null!;
    private ServiceProcess _service = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _service = new ServiceProcess(
            "--redis", _redis.Address,
            "--Loops:Feedback:RedisOptions:KeyPrefix=ready" + Guid.NewGuid().ToString("N")[..8],
            "--web-urls", "http://127.0.0.1:0");
        await _service.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _service.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Readiness_turns_not_ready_while_redis_is_down_and_ready_when_it_returns()
    {
        var web = await EventuallyAsync(() => Task.FromResult(_service.WebAddress is not null), "the web endpoint to be logged")
            .ContinueWith(_ => _service.WebAddress!, TaskScheduler.Default);
        using var client = new LoopsClient(_service.Address);

        await EventuallyAsync(async () => await StatusAsync(web, "/readyz") == HttpStatusCode.OK, "readiness with redis up");
        Assert.True(await client.IsServingAsync());

        await _redis.StopAsync();
        await EventuallyAsync(async () => await StatusAsync(web, "/readyz") == HttpStatusCode.ServiceUnavailable, "not-ready with redis down");
        Assert.False(await client.IsServingAsync());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(web, "/healthz"));

        await _redis.StartAgainAsync();
        await EventuallyAsync(async () => await StatusAsync(web, "/readyz") == HttpStatusCode.OK, "readiness with redis back");
        Assert.True(await client.IsServingAsync());
    }

    private async Task<HttpStatusCode> StatusAsync(Uri web, string path)
    {
        using var response = await _http.GetAsync(new Uri(web, path));
        return response.StatusCode;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {WaitLimit.TotalSeconds} s for {what}.");
            }

            await Task.Delay(200);
        }
    }
}
