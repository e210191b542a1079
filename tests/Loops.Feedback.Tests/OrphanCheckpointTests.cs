namespace Loops.Feedback.Tests;

/// <summary>Orphan rewards in the feedback state: bounded, expired, taken by their decisions and checkpointed.</summary>
public sealed class OrphanCheckpointTests
{
    [Fact]
    public void A_checkpoint_holds_the_orphans_of_its_moment_while_rewards_and_decisions_keep_coming()
    {
        using var harness = new StoreHarness();
        var gate = new Lock();
        var state = new FeedbackState(TimeSpan.FromMinutes(10), maxOrphans: 10_000);
        for (var i = 0; i < 3_000; i++)
        {
            state.ApplyReward(harness.Reward($"o{i}", 1), harness.NowUnixMs);
        }

        var snapshot = state.TakeSnapshot(gate);

        // After the snapshot: more rewards for some orphans, new orphans, and decisions that take others.
        for (var i = 0; i < 1_000; i++)
        {
            state.ApplyReward(harness.Reward($"o{i}", 5), harness.NowUnixMs);
            state.ApplyReward(harness.Reward($"n{i}", 1), harness.NowUnixMs);
            state.ApplyDecision(harness.Decision($"o{1_000 + i}"));
        }

        var restored = new FeedbackState(TimeSpan.FromMinutes(10), maxOrphans: 10_000);
        StoreHarness.Restore(snapshot, restored);

        Assert.Equal(3_000, restored.OrphanCount);
        foreach (var id in new[] { "o0", "o999", "o1000", "o2999", "n0" })
        {
            restored.ApplyDecision(harness.Decision(id));
        }

        // n0 came after the snapshot: its decision finds no orphan.
        Assert.Equal(2_996, restored.OrphanCount);
        var due = new List<DueJoin>();
        restored.TakeDue(harness.NowUnixMs + 1_000, 10, due);
        Assert.Equal(5, due.Count);
        Assert.All(
            due,
            join => Assert.Equal(join.Key == EventKey.Of("n0") ? default : new RewardTally(1, 1, 1, 1), join.Rewards));
    }

    [Fact]
    public void Orphans_beyond_the_bound_are_dropped_oldest_first_and_a_decision_takes_its_own()
    {
        using var harness = new StoreHarness();
        var state = new FeedbackState(TimeSpan.FromMinutes(10), maxOrphans: 5_000);
        for (var i = 0; i < 12_000; i++)
        {
            state.ApplyReward(harness.Reward($"o{i}", i), harness.NowUnixMs + i);
        }

        Assert.Equal(5_000, state.OrphanCount);
        Assert.True(state.ApplyDecision(harness.Decision("o6999")));
        Assert.True(state.ApplyDecision(harness.Decision("o7000")));
        Assert.Equal(4_999, state.OrphanCount);
        var due = new List<DueJoin>();
        state.TakeDue(harness.NowUnixMs + 1_000, 10, due);
        Assert.Equal([0, 1], due.Select(join => join.Rewards.Count).Order());
        Assert.Equal(0, state.ExpireStale(harness.NowUnixMs + (long)TimeSpan.FromMinutes(10).TotalMilliseconds - 1));
        Assert.Equal(4_999, state.ExpireStale(harness.NowUnixMs + (long)TimeSpan.FromMinutes(10).TotalMilliseconds + 12_000));
        Assert.Equal(0, state.OrphanCount);
    }
}
