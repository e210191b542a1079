namespace Loops.Feedback.Tests;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly StoreHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Decisions_and_rewards_appended_in_parallel_are_each_joined_exactly_once()
    {
        const int Writers = 8;
        const int PerWriter = 2_000;
        var options = _harness.Options(segmentBytes: 256 * 1024);
        await using var store = await _harness.OpenAsync(options);

        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var index = 0; index < PerWriter; index++)
            {
                var eventId = $"w{writer}-{index}";
                if (index % 3 == 0)
                {
                    // Some rewards arrive first.
                    await store.RecordRewardAsync(_harness.Reward(eventId, 1), CancellationToken.None);
                    await store.RecordDecisionAsync(_harness.Decision(eventId, windowMs: 1_000), CancellationToken.None);
                }
                else
                {
                    await store.RecordDecisionAsync(_harness.Decision(eventId, windowMs: 1_000), CancellationToken.None);
                    if (index % 3 == 1)
                    {
                        await store.RecordRewardAsync(_harness.Reward(eventId, 1), CancellationToken.None);
                    }
                }
            }
        }));
        await Task.WhenAll(writers).WaitAsync(StoreHarness.Timeout);

        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        var joined = await store.TakeAsync(0, Writers * PerWriter);

        Assert.Equal(Enumerable.Range(1, Writers * PerWriter).Select(sequence => (long)sequence), joined.Select(record => record.Sequence));
        Assert.Equal(Writers * PerWriter, joined.Select(record => record.Event.Decision.EventId).Distinct().Count());
        Assert.All(joined, record =>
        {
            var index = int.Parse(record.Event.Decision.EventId.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(index % 3 == 2 ? 0 : 1, record.Event.RewardCount);
        });
        var stats = store.GetStats();
        Assert.Equal(Writers * PerWriter, stats.Joined);
        Assert.Equal(0, stats.PendingJoins);
        Assert.Equal(0, stats.LiveOrphans);
    }
}
