using Loops.Contracts.V1;

namespace Loops.Feedback.Tests;

public sealed class JoinTests : IDisposable
{
    private readonly StoreHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Rewards_within_the_window_are_summed_into_the_join()
    {
        await using var store = await _harness.OpenAsync();
        await store.RecordDecisionAsync(_harness.Decision("e1", windowMs: 1_000, defaultReward: -1), CancellationToken.None);

        Assert.True(await store.RecordRewardAsync(_harness.Reward("e1", 1.5), CancellationToken.None));
        Assert.True(await store.RecordRewardAsync(_harness.Reward("e1", 2.0), CancellationToken.None));
        _harness.Time.Advance(TimeSpan.FromMilliseconds(1_000));

        var joined = Assert.Single(await store.TakeAsync(0, 1));
        Assert.Equal(1, joined.Sequence);
        Assert.Equal("e1", joined.Event.Decision.EventId);
        Assert.Equal(3.5, joined.Event.Reward);
        Assert.Equal(2, joined.Event.RewardCount);
        Assert.False(joined.Event.IsDefaultReward);
        Assert.Equal(_harness.NowUnixMs, joined.Event.JoinedAtUnixMs);
        Assert.Equal(new[] { 0.25, 0.75 }, joined.Event.Decision.Probabilities);
    }

    [Fact]
    public async Task The_joined_event_carries_the_decision_exactly_as_it_was_logged()
    {
        await using var store = await _harness.OpenAsync();
        var decision = _harness.Decision("e1", windowMs: 1_000);
        decision.Scores.Add([0.5, 1.5]);
        decision.RewardAggregation = RewardAggregation.Last;
        decision.Context.Add(new Feature { Namespace = "user", Name = "age", Number = 31.5 });
        await store.RecordDecisionAsync(decision, CancellationToken.None);
        await store.RecordRewardAsync(_harness.Reward("e1", 4), CancellationToken.None);
        await store.RecordRewardAsync(_harness.Reward("e1", 2), CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromMilliseconds(1_000));

        var joined = Assert.Single(await store.TakeAsync(0, 1));

        Assert.Equal(decision, joined.Event.Decision);
        Assert.Equal(2.0, joined.Event.Reward);
        Assert.Equal(2, joined.Event.RewardCount);
    }

    [Fact]
    public async Task A_decision_without_reward_is_joined_with_its_default_reward_flagged()
    {
        await using var store = await _harness.OpenAsync();
        await store.RecordDecisionAsync(_harness.Decision("e1", defaultReward: 0.25), CancellationToken.None);

        _harness.Time.Advance(TimeSpan.FromSeconds(1));

        var joined = Assert.Single(await store.TakeAsync(0, 1));
        Assert.True(joined.Event.IsDefaultReward);
        Assert.Equal(0.25, joined.Event.Reward);
        Assert.Equal(0, joined.Event.RewardCount);
        var stats = store.GetStats();
        Assert.Equal(1, stats.Joined);
        Assert.Equal(1, stats.DefaultRewarded);
        Assert.Equal(0, stats.PendingJoins);
        Assert.Equal(1, stats.LastJoinedSequence);
    }

    [Fact]
    public async Task A_decision_is_not_joined_before_its_deadline()
    {
        await using var store = await _harness.OpenAsync();
        await store.RecordDecisionAsync(_harness.Decision("early", windowMs: 500), CancellationToken.None);
        await store.RecordDecisionAsync(_harness.Decision("late", windowMs: 5_000), CancellationToken.None);

        _harness.Time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal("early", Assert.Single(await store.TakeAsync(0, 1)).Event.Decision.EventId);
        Assert.Equal(1, store.GetStats().PendingJoins);
        Assert.True(await store.RecordRewardAsync(_harness.Reward("late", 4), CancellationToken.None));
        _harness.Time.Advance(TimeSpan.FromMilliseconds(4_500));
        var late = Assert.Single(await store.TakeAsync(1, 1));
        Assert.Equal("late", late.Event.Decision.EventId);
        Assert.Equal(4, late.Event.Reward);
    }

    [Fact]
    public async Task A_reward_before_its_decision_is_kept_as_an_orphan_and_joined()
    {
        await using var store = await _harness.OpenAsync();

        Assert.False(await store.RecordRewardAsync(_harness.Reward("e1", 2), CancellationToken.None));
        Assert.False(await store.RecordRewardAsync(_harness.Reward("e1", 3), CancellationToken.None));
        Assert.Equal(1, store.GetStats().LiveOrphans);
        Assert.Equal(2, store.GetStats().OrphanRewards);

        await store.RecordDecisionAsync(_harness.Decision("e1"), CancellationToken.None);
        Assert.Equal(0, store.GetStats().LiveOrphans);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));

        var joined = Assert.Single(await store.TakeAsync(0, 1));
        Assert.Equal(5, joined.Event.Reward);
        Assert.Equal(2, joined.Event.RewardCount);
    }

    [Fact]
    public async Task A_late_reward_is_not_counted_twice()
    {
        await using (var store = await _harness.OpenAsync())
        {
            await store.RecordDecisionAsync(_harness.Decision("e1", defaultReward: -1), CancellationToken.None);
            await store.RecordRewardAsync(_harness.Reward("e1", 1), CancellationToken.None);
            _harness.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(1, Assert.Single(await store.TakeAsync(0, 1)).Event.Reward);

            Assert.False(await store.RecordRewardAsync(_harness.Reward("e1", 10), CancellationToken.None));
            var stats = store.GetStats();
            Assert.Equal(1, stats.LateRewards);
            Assert.Equal(0, stats.LiveOrphans);

            // A retried decision with the same id is not joined again either.
            await store.RecordDecisionAsync(_harness.Decision("e1"), CancellationToken.None);
            Assert.Equal(1, store.GetStats().DuplicateDecisions);
        }

        await using (var reopened = await _harness.OpenAsync())
        {
            Assert.Equal(0, reopened.GetStats().PendingJoins);
            Assert.Equal(0, reopened.GetStats().LiveOrphans);
            await reopened.RecordDecisionAsync(_harness.Decision("e2"), CancellationToken.None);
            _harness.Time.Advance(TimeSpan.FromSeconds(1));

            // Nothing was joined between e1 and e2.
            var next = Assert.Single(await reopened.TakeAsync(1, 1));
            Assert.Equal(2, next.Sequence);
            Assert.Equal("e2", next.Event.Decision.EventId);
        }
    }

    [Fact]
    public async Task A_reward_at_the_deadline_is_late_even_before_the_joiner_ran()
    {
        await using var store = await _harness.OpenAsync();
        await store.RecordDecisionAsync(_harness.Decision("e1", windowMs: 1_000, defaultReward: 0.5), CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromMilliseconds(1_000));

        Assert.False(await store.RecordRewardAsync(_harness.Reward("e1", 9), CancellationToken.None));

        var joined = Assert.Single(await store.TakeAsync(0, 1));
        Assert.True(joined.Event.IsDefaultReward);
        Assert.Equal(0.5, joined.Event.Reward);
    }

    [Fact]
    public async Task A_duplicate_decision_is_ignored()
    {
        await using var store = await _harness.OpenAsync();
        await store.RecordDecisionAsync(_harness.Decision("e1"), CancellationToken.None);
        await store.RecordDecisionAsync(_harness.Decision("e1"), CancellationToken.None);
        await store.RecordDecisionAsync(_harness.Decision("e2"), CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));

        var joined = await store.TakeAsync(0, 2);
        Assert.Equal(["e1", "e2"], joined.Select(record => record.Event.Decision.EventId).Order());
        var stats = store.GetStats();
        Assert.Equal(2, stats.Decisions);
        Assert.Equal(1, stats.DuplicateDecisions);
    }

    [Fact]
    public async Task Orphan_rewards_expire_after_their_ttl()
    {
        var options = _harness.Options();
        options.OrphanRewardTtl = TimeSpan.FromMinutes(1);
        await using var store = await _harness.OpenAsync(options);
        await store.RecordRewardAsync(_harness.Reward("forgotten", 5), CancellationToken.None);

        _harness.Time.Advance(TimeSpan.FromMinutes(2));
        await store.RecordRewardAsync(_harness.Reward("other", 1), CancellationToken.None);
        Assert.Equal(1, store.GetStats().ExpiredOrphans);
        Assert.Equal(1, store.GetStats().LiveOrphans);

        await store.RecordDecisionAsync(_harness.Decision("forgotten", defaultReward: 0), CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Assert.Single(await store.TakeAsync(0, 1)).Event.IsDefaultReward);
    }

    [Fact]
    public async Task Orphan_rewards_are_bounded_in_count_dropping_the_oldest()
    {
        var options = _harness.Options();
        options.MaxOrphanRewards = 2;
        await using var store = await _harness.OpenAsync(options);

        foreach (var eventId in new[] { "a", "b", "c" })
        {
            await store.RecordRewardAsync(_harness.Reward(eventId, 1), CancellationToken.None);
            _harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(2, store.GetStats().LiveOrphans);
        await store.RecordDecisionAsync(_harness.Decision("a"), CancellationToken.None);
        await store.RecordDecisionAsync(_harness.Decision("c"), CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));

        var joined = (await store.TakeAsync(0, 2)).ToDictionary(record => record.Event.Decision.EventId, record => record.Event);
        Assert.True(joined["a"].IsDefaultReward);
        Assert.Equal(1, joined["c"].RewardCount);
    }

    [Fact]
    public async Task A_follower_receives_joins_as_they_happen_and_ends_when_the_store_is_disposed()
    {
        var store = await _harness.OpenAsync();
        var received = new List<JoinedRecord>();
        var firstReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var follower = Task.Run(async () =>
        {
            await foreach (var record in store.ReadJoinedAsync(0, CancellationToken.None))
            {
                received.Add(record);
                firstReceived.TrySetResult();
            }
        });

        await store.RecordDecisionAsync(_harness.Decision("e1"), CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        await firstReceived.Task.WaitAsync(StoreHarness.Timeout);

        await store.DisposeAsync();
        await follower.WaitAsync(StoreHarness.Timeout);
        Assert.Equal("e1", Assert.Single(received).Event.Decision.EventId);
    }

    [Fact]
    public async Task Reading_ends_when_cancelled()
    {
        await using var store = await _harness.OpenAsync();
        using var cancellation = new CancellationTokenSource();
        var follower = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var record in store.ReadJoinedAsync(0, cancellation.Token))
            {
                count++;
            }

            return count;
        });

        await cancellation.CancelAsync();
        Assert.Equal(0, await follower.WaitAsync(StoreHarness.Timeout));
    }

    [Fact]
    public async Task Recording_on_a_disposed_store_throws()
    {
        var store = await _harness.OpenAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            async () => await store.RecordDecisionAsync(_harness.Decision("e1"), CancellationToken.None));
    }

    [Fact]
    public async Task A_store_created_with_its_constructor_recovers_on_first_use()
    {
        await using (var first = await _harness.OpenAsync())
        {
            await first.RecordDecisionAsync(_harness.Decision("e1", defaultReward: 3), CancellationToken.None);
        }

        await using var store = new EmbeddedFeedbackStore(_harness.Options(), _harness.Time, _harness.Logger);
        Assert.True(await store.RecordRewardAsync(_harness.Reward("e1", 2), CancellationToken.None));
        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, Assert.Single(await store.TakeAsync(0, 1)).Event.Reward);
    }
}
