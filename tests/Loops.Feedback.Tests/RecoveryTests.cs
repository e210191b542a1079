namespace Loops.Feedback.Tests;

public sealed class RecoveryTests : IDisposable
{
    private readonly StoreHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Pending_decisions_and_their_rewards_survive_a_restart_and_are_then_joined()
    {
        await using (var store = await _harness.OpenAsync())
        {
            await store.RecordDecisionAsync(_harness.Decision("rewarded", windowMs: 5_000), CancellationToken.None);
            await store.RecordDecisionAsync(_harness.Decision("unrewarded", windowMs: 5_000, defaultReward: -1), CancellationToken.None);
            await store.RecordRewardAsync(_harness.Reward("rewarded", 1), CancellationToken.None);
            await store.RecordRewardAsync(_harness.Reward("orphan", 7), CancellationToken.None);
        }

        await using (var reopened = await _harness.OpenAsync())
        {
            var stats = reopened.GetStats();
            Assert.Equal(2, stats.PendingJoins);
            Assert.Equal(1, stats.LiveOrphans);
            Assert.True(await reopened.RecordRewardAsync(_harness.Reward("rewarded", 2), CancellationToken.None));
            await reopened.RecordDecisionAsync(_harness.Decision("orphan", windowMs: 5_000), CancellationToken.None);
            _harness.Time.Advance(TimeSpan.FromSeconds(5));

            var joined = (await reopened.TakeAsync(0, 3)).ToDictionary(record => record.Event.Decision.EventId, record => record.Event);
            Assert.Equal(3, joined["rewarded"].Reward);
            Assert.Equal(2, joined["rewarded"].RewardCount);
            Assert.True(joined["unrewarded"].IsDefaultReward);
            Assert.Equal(-1, joined["unrewarded"].Reward);
            Assert.Equal(7, joined["orphan"].Reward);
        }
    }

    [Fact]
    public async Task Deadlines_that_passed_while_closed_are_joined_right_after_opening()
    {
        await using (var store = await _harness.OpenAsync())
        {
            await store.RecordDecisionAsync(_harness.Decision("e1", windowMs: 1_000), CancellationToken.None);
            await store.RecordRewardAsync(_harness.Reward("e1", 4), CancellationToken.None);
        }

        _harness.Time.Advance(TimeSpan.FromMinutes(5));
        await using var reopened = await _harness.OpenAsync();

        var joined = Assert.Single(await reopened.TakeAsync(0, 1));
        Assert.Equal(4, joined.Event.Reward);
    }

    [Fact]
    public async Task Sequences_continue_across_restarts_and_reading_after_a_sequence_returns_exactly_what_follows()
    {
        await using (var store = await _harness.OpenAsync())
        {
            for (var index = 1; index <= 3; index++)
            {
                await store.RecordDecisionAsync(_harness.Decision($"e{index}", windowMs: index), CancellationToken.None);
            }

            _harness.Time.Advance(TimeSpan.FromMilliseconds(3));
            Assert.Equal([1L, 2L, 3L], (await store.TakeAsync(0, 3)).Select(record => record.Sequence));
        }

        await using (var reopened = await _harness.OpenAsync())
        {
            Assert.Equal(3, reopened.GetStats().LastJoinedSequence);
            await reopened.RecordDecisionAsync(_harness.Decision("e4", windowMs: 1), CancellationToken.None);
            await reopened.RecordDecisionAsync(_harness.Decision("e5", windowMs: 2), CancellationToken.None);
            _harness.Time.Advance(TimeSpan.FromMilliseconds(2));
            await reopened.TakeAsync(3, 2);
        }

        await using var third = await _harness.OpenAsync();
        var afterTwo = await third.TakeStoredAsync(2);
        Assert.Equal([3L, 4L, 5L], afterTwo.Select(record => record.Sequence));
        Assert.Equal(["e3", "e4", "e5"], afterTwo.Select(record => record.Event.Decision.EventId));
        Assert.Equal(5, (await third.TakeStoredAsync(0)).Count);
        Assert.Empty(await third.TakeStoredAsync(5));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public async Task A_torn_journal_tail_is_truncated_keeping_every_complete_record(int bytesCut)
    {
        await using (var store = await _harness.OpenAsync())
        {
            for (var index = 0; index < 10; index++)
            {
                await store.RecordDecisionAsync(_harness.Decision($"e{index}"), CancellationToken.None);
            }
        }

        var journal = Path.Combine(_harness.FeedbackDirectory, Assert.Single(_harness.Files("journal")));
        var intactLength = new FileInfo(journal).Length;
        using (var file = File.OpenWrite(journal))
        {
            file.SetLength(intactLength - bytesCut);
        }

        await using (var reopened = await _harness.OpenAsync())
        {
            Assert.Equal(9, reopened.GetStats().PendingJoins);
            Assert.Contains(_harness.Logger.Entries, entry => entry.Message.Contains("Truncated", StringComparison.Ordinal));

            // Records appended after the truncation are readable after the next restart.
            await reopened.RecordDecisionAsync(_harness.Decision("after"), CancellationToken.None);
        }

        await using var third = await _harness.OpenAsync();
        Assert.Equal(10, third.GetStats().PendingJoins);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        var joined = await third.TakeAsync(0, 10);
        Assert.Contains(joined, record => record.Event.Decision.EventId == "after");
        Assert.DoesNotContain(joined, record => record.Event.Decision.EventId == "e9");
    }

    [Fact]
    public async Task Garbage_after_the_last_record_is_truncated()
    {
        await using (var store = await _harness.OpenAsync())
        {
            await store.RecordDecisionAsync(_harness.Decision("e1"), CancellationToken.None);
        }

        var journal = Path.Combine(_harness.FeedbackDirectory, Assert.Single(_harness.Files("journal")));
        await File.AppendAllBytesAsync(journal, new byte[4096]);

        await using var reopened = await _harness.OpenAsync();
        Assert.Equal(1, reopened.GetStats().PendingJoins);
    }

    [Fact]
    public async Task A_torn_joined_log_tail_does_not_reuse_sequences_or_join_twice()
    {
        await using (var store = await _harness.OpenAsync())
        {
            await store.RecordDecisionAsync(_harness.Decision("e1"), CancellationToken.None);
            await store.RecordDecisionAsync(_harness.Decision("e2"), CancellationToken.None);
            _harness.Time.Advance(TimeSpan.FromSeconds(1));
            await store.TakeAsync(0, 2);
        }

        var joinedLog = Path.Combine(_harness.FeedbackDirectory, Assert.Single(_harness.Files("joined")));
        using (var file = File.OpenWrite(joinedLog))
        {
            file.SetLength(file.Length - 5);
        }

        await using var reopened = await _harness.OpenAsync();
        Assert.Equal(0, reopened.GetStats().PendingJoins);
        await reopened.RecordDecisionAsync(_harness.Decision("e3"), CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        var e3 = Assert.Single(await reopened.TakeAsync(2, 1));
        Assert.Equal(3, e3.Sequence);
        Assert.Equal("e3", e3.Event.Decision.EventId);
    }

    [Fact]
    public async Task Joined_events_whose_markers_were_lost_are_not_joined_again()
    {
        await using (var store = await _harness.OpenAsync())
        {
            await store.RecordDecisionAsync(_harness.Decision("e1"), CancellationToken.None);
        }

        // Keep the journal as it was before the join: as if the process died after writing the joined event but
        // before its marker reached the journal.
        var journal = Path.Combine(_harness.FeedbackDirectory, Assert.Single(_harness.Files("journal")));
        var beforeJoin = await File.ReadAllBytesAsync(journal);
        await using (var store = await _harness.OpenAsync())
        {
            _harness.Time.Advance(TimeSpan.FromSeconds(1));
            await store.TakeAsync(0, 1);
        }

        await File.WriteAllBytesAsync(journal, beforeJoin);
        await using var reopened = await _harness.OpenAsync();
        Assert.Equal(0, reopened.GetStats().PendingJoins);
        await reopened.RecordDecisionAsync(_harness.Decision("e2"), CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        var next = Assert.Single(await reopened.TakeAsync(1, 1));
        Assert.Equal(2, next.Sequence);
        Assert.Equal("e2", next.Event.Decision.EventId);
    }

    [Fact]
    public async Task A_second_store_on_the_same_directory_is_refused()
    {
        await using var store = await _harness.OpenAsync();
        await Assert.ThrowsAsync<IOException>(() => _harness.OpenAsync());
    }
}
