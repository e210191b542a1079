using Loops.Contracts.V1;

namespace Loops.Feedback.Tests;

public sealed class DecisionRetryTests : IDisposable
{
    private readonly StoreHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_retried_decision_gets_the_original_response_and_is_recorded_once()
    {
        await using var store = await _harness.OpenAsync();
        var original = new DecideResponse { EventId = "e1", ActionId = "first" };

        var first = await store.RecordDecisionOnceAsync(_harness.Decision("e1"), original, CancellationToken.None);
        var retry = await store.RecordDecisionOnceAsync(_harness.Decision("e1"), new DecideResponse { EventId = "e1", ActionId = "second" }, CancellationToken.None);

        Assert.Same(original, first);
        Assert.Equal(original, retry);
        Assert.Equal(1, store.GetStats().Decisions);
        Assert.Equal(1, store.GetStats().DuplicateDecisions);
    }

    [Fact]
    public async Task After_the_window_a_decision_with_the_same_id_is_not_answered_from_memory()
    {
        await using var store = await _harness.OpenAsync();
        await store.RecordDecisionOnceAsync(_harness.Decision("e1", windowMs: 1_000), new DecideResponse { ActionId = "first" }, CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromSeconds(2));

        var later = await store.RecordDecisionOnceAsync(_harness.Decision("e2"), new DecideResponse { ActionId = "other" }, CancellationToken.None);
        var again = await store.RecordDecisionOnceAsync(_harness.Decision("e1"), new DecideResponse { ActionId = "second" }, CancellationToken.None);

        Assert.Equal("other", later.ActionId);
        Assert.Equal("second", again.ActionId);
    }
}
