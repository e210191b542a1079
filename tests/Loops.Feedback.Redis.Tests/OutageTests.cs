using Loops.Contracts.V1;

using Loops.Redis.Tests;

namespace Loops.Feedback.Redis.Tests;

/// <summary>Redis stopped and started again mid-test; a class of its own, since it takes its server down.</summary>
public sealed class OutageTests : IAsyncLifetime
{
    private RedisServer _server = null!;

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Records_accepted_while_Redis_is_down_are_spooled_and_joined_once_it_is_back()
    {
        await using var harness = new StoreHarness(_server);
        var store = await harness.OpenAsync();
        await store.RecordDecisionAsync(harness.Decision("before", TimeSpan.FromSeconds(5)), CancellationToken.None);

        await _server.StopAsync();
        var answer = await store.RecordDecisionOnceAsync(
            harness.Decision("during", TimeSpan.FromSeconds(5)), new DecideResponse { EventId = "during" }, CancellationToken.None);
        await store.RecordRewardAsync(harness.Reward("during", 2), CancellationToken.None);
        await store.RecordRewardAsync(harness.Reward("before", 3), CancellationToken.None);
        Assert.Equal("during", answer.EventId);
        Assert.True(store.SpooledBytes > 0);

        await _server.StartAgainAsync();
        await harness.WaitUntilAsync(async db => await db.ExecuteAsync("EXISTS", $"{harness.Prefix}:dec:during") is var r && (long)r == 1
            && store.SpooledBytes == 0);
        await harness.WaitUntilAsync(async db => await db.HashGetAsync($"{harness.Prefix}:ev:during", "c") == 1
            && await db.HashGetAsync($"{harness.Prefix}:ev:before", "c") == 1);
        harness.Clock.Advance(TimeSpan.FromSeconds(6));

        var joined = (await StoreHarness.ReadJoinedAsync(store, 2)).ToDictionary(r => r.Event.Decision.EventId);
        Assert.Equal(2.0, joined["during"].Event.Reward);
        Assert.Equal(3.0, joined["before"].Event.Reward);
    }

    [Fact]
    public async Task A_full_spool_refuses_records_with_a_retry_hint()
    {
        await using var harness = new StoreHarness(_server);
        var options = harness.Options();
        options.MaxSpoolBytes = 4096;
        var store = await harness.OpenAsync(options);
        await _server.StopAsync();
        try
        {
            var refused = await Assert.ThrowsAsync<FeedbackUnavailableException>(async () =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    await store.RecordRewardAsync(harness.Reward("e" + i, 1), CancellationToken.None);
                }
            });
            Assert.True(refused.RetryAfter > TimeSpan.Zero);
            Assert.True(store.SpooledBytes <= 4096);
        }
        finally
        {
            await _server.StartAgainAsync();
        }
    }
}
