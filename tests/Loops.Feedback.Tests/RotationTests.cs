namespace Loops.Feedback.Tests;

public sealed class RotationTests : IDisposable
{
    private readonly StoreHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_wider_checkpoint_spacing_rotates_less_as_the_pending_state_grows()
    {
        var segments = new List<int>();
        foreach (var spacing in new[] { 2, 8 })
        {
            using var harness = new StoreHarness();
            var options = harness.Options(segmentBytes: EmbeddedFeedbackStoreOptions.MinSegmentBytes);
            options.CheckpointSpacing = spacing;
            await using (var store = await harness.OpenAsync(options))
            {
                for (var index = 0; index < 2000; index++)
                {
                    await store.RecordDecisionAsync(harness.Decision($"d{index}", windowMs: 600_000), CancellationToken.None);
                }
            }

            // All decisions are pending, so every segment is kept: one per rotation.
            segments.Add(harness.Files("journal").Length);
        }

        Assert.True(segments[1] < segments[0], $"segments with spacing 2 and 8: {string.Join(", ", segments)}");
    }

    [Fact]
    public async Task Journal_rotation_keeps_the_pending_state_and_deletes_old_segments()
    {
        var options = _harness.Options(segmentBytes: EmbeddedFeedbackStoreOptions.MinSegmentBytes);
        await using (var store = await _harness.OpenAsync(options))
        {
            for (var index = 0; index < 300; index++)
            {
                await store.RecordDecisionAsync(_harness.Decision($"d{index}", windowMs: 60_000), CancellationToken.None);
                await store.RecordRewardAsync(_harness.Reward($"d{index}", index), CancellationToken.None);
                if (index % 10 == 0)
                {
                    await store.RecordRewardAsync(_harness.Reward($"orphan{index}", 1), CancellationToken.None);
                }
            }

            // Some joins too, so the checkpoints also carry recently joined ids and the last joined sequence.
            await store.RecordDecisionAsync(_harness.Decision("short", windowMs: 10), CancellationToken.None);
            _harness.Time.Advance(TimeSpan.FromMilliseconds(10));
            await store.TakeAsync(0, 1);
            for (var index = 0; index < 100; index++)
            {
                await store.RecordDecisionAsync(_harness.Decision($"more{index}", windowMs: 60_000), CancellationToken.None);
            }
        }

        // The segments stay while their decisions are pending; the checkpoint covers the ones before its number.
        var journals = _harness.Files("journal");
        Assert.Contains("journal-1.log", journals);
        Assert.True(journals.Length > 2, string.Join(", ", journals));
        var checkpoint = StoreHarness.NumberOf(Assert.Single(_harness.Files("checkpoint")));
        Assert.True(checkpoint > 1);
        Assert.Contains(_harness.Logger.Entries, entry => entry.Message.Contains("Started journal segment", StringComparison.Ordinal));

        await using var reopened = await _harness.OpenAsync(options);
        var stats = reopened.GetStats();
        Assert.Equal(400, stats.PendingJoins);
        Assert.Equal(30, stats.LiveOrphans);
        Assert.Equal(1, stats.LastJoinedSequence);
        Assert.False(await reopened.RecordRewardAsync(_harness.Reward("short", 1), CancellationToken.None));
        Assert.Equal(1, reopened.GetStats().LateRewards);

        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        var joined = await reopened.TakeAsync(1, 400);
        Assert.Equal(Enumerable.Range(2, 400).Select(sequence => (long)sequence), joined.Select(record => record.Sequence));
        var byId = joined.ToDictionary(record => record.Event.Decision.EventId, record => record.Event);
        for (var index = 0; index < 300; index++)
        {
            Assert.Equal(index, byId[$"d{index}"].Reward);
            Assert.Equal(1, byId[$"d{index}"].RewardCount);
            Assert.Equal(_harness.Decision($"d{index}", windowMs: 60_000).Policy, byId[$"d{index}"].Decision.Policy);
        }

        // Once joined, the segments the checkpoint covers are deleted.
        await StoreHarness.WaitUntilAsync(() => _harness.Files("journal").All(name => StoreHarness.NumberOf(name) >= checkpoint));
    }

    [Fact]
    public async Task Records_appended_while_a_checkpoint_is_written_survive_the_rotation()
    {
        var options = _harness.Options(segmentBytes: EmbeddedFeedbackStoreOptions.MinSegmentBytes);
        options.InlineBackgroundWork = false;
        await using (var store = await _harness.OpenAsync(options))
        {
            // Concurrent writers keep batches coming while checkpoints are written in the background.
            await Parallel.ForEachAsync(Enumerable.Range(0, 8), async (writer, cancellationToken) =>
            {
                for (var index = 0; index < 250; index++)
                {
                    var eventId = $"w{writer}-{index}";
                    await store.RecordDecisionAsync(_harness.Decision(eventId, windowMs: 60_000), cancellationToken);
                    await store.RecordRewardAsync(_harness.Reward(eventId, 1), cancellationToken);
                }
            });
        }

        Assert.Contains(_harness.Logger.Entries, entry => entry.Message.Contains("Started journal segment", StringComparison.Ordinal));
        Assert.DoesNotContain(_harness.Files("journal"), name => name.EndsWith(".tmp", StringComparison.Ordinal));

        await using var reopened = await _harness.OpenAsync(options);
        Assert.Equal(2000, reopened.GetStats().PendingJoins);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        var joined = await reopened.TakeAsync(0, 2000);
        Assert.All(joined, record => Assert.Equal(1, record.Event.RewardCount));
    }

    [Fact]
    public async Task Joined_retention_deletes_the_oldest_segments_and_readers_skip_to_what_is_kept()
    {
        const long SegmentBytes = EmbeddedFeedbackStoreOptions.MinSegmentBytes;
        var options = _harness.Options(segmentBytes: SegmentBytes, retentionBytes: 3 * SegmentBytes);
        await using var store = await _harness.OpenAsync(options);
        for (var index = 0; index < 500; index++)
        {
            await store.RecordDecisionAsync(_harness.Decision($"e{index}", windowMs: 1 + (index / 50)), CancellationToken.None);
        }

        // Joined in ten rounds, so the log rotates between writes.
        for (var round = 0; round < 10; round++)
        {
            _harness.Time.Advance(TimeSpan.FromMilliseconds(1));
            await store.TakeAsync(round * 50, 50);
        }

        var segments = _harness.Files("joined");
        Assert.True(segments.Length > 1);
        Assert.DoesNotContain("joined-1.log", segments);
        var keptBytes = segments.Sum(segment => new FileInfo(Path.Combine(_harness.FeedbackDirectory, segment)).Length);
        Assert.True(keptBytes <= 4 * SegmentBytes, $"{keptBytes} bytes kept");

        var firstKept = segments.Select(segment => long.Parse(segment["joined-".Length..^".log".Length], System.Globalization.CultureInfo.InvariantCulture)).Min();
        var fromStart = await store.TakeAsync(0, (int)(500 - firstKept + 1));
        Assert.Equal(firstKept, fromStart[0].Sequence);
        Assert.Equal(500, fromStart[^1].Sequence);
        Assert.Equal(Enumerable.Range((int)firstKept, fromStart.Count).Select(sequence => (long)sequence), fromStart.Select(record => record.Sequence));
    }
}
