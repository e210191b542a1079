using Loops.Contracts;
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
        var decision = _harness.Decision("e1");
        var original = DecisionResponses.Of(decision);

        var first = await store.RecordDecisionOnceAsync(decision, original, CancellationToken.None);
        var retry = await store.RecordDecisionOnceAsync(
            Retried(_harness.Decision("e1")), new DecideResponse { EventId = "e1", ActionId = "second" }, CancellationToken.None);

        Assert.Same(original, first);
        Assert.Equal(original, retry);
        Assert.Equal(1, store.GetStats().Decisions);
        Assert.Equal(1, store.GetStats().DuplicateDecisions);
    }

    [Fact]
    public async Task Without_a_response_made_beforehand_a_new_decision_gets_none_and_its_retry_the_original()
    {
        await using var store = await _harness.OpenAsync();
        var decision = _harness.Decision("e1");

        var first = await store.RecordDecisionOrFindOriginalAsync(decision, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        var retry = await store.RecordDecisionOrFindOriginalAsync(Retried(_harness.Decision("e1")), ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        Assert.Null(first);
        Assert.Equal(DecisionResponses.Of(decision), retry);
        Assert.Equal(1, store.GetStats().Decisions);
        Assert.Equal(1, store.GetStats().DuplicateDecisions);
    }

    [Fact]
    public async Task A_retry_after_a_restart_gets_the_original_response_from_the_journal()
    {
        var decision = _harness.Decision("e1", windowMs: 60_000);
        await using (var store = await _harness.OpenAsync())
        {
            await store.RecordDecisionOnceAsync(decision, DecisionResponses.Of(decision), CancellationToken.None);
        }

        await using var reopened = await _harness.OpenAsync();
        var retry = await reopened.RecordDecisionOnceAsync(
            Retried(_harness.Decision("e1", windowMs: 60_000)), new DecideResponse { EventId = "e1", ActionId = "second" }, CancellationToken.None);

        Assert.Equal(DecisionResponses.Of(decision), retry);
        Assert.Equal(1, reopened.GetStats().DuplicateDecisions);
    }

    [Fact]
    public async Task Every_pending_decision_answers_its_retry_however_many_are_pending()
    {
        await using var store = await _harness.OpenAsync();
        var decisions = Enumerable.Range(0, 2_000).Select(i => _harness.Decision($"e{i}", windowMs: 60_000)).ToArray();
        foreach (var decision in decisions)
        {
            await store.RecordDecisionOnceAsync(decision, DecisionResponses.Of(decision), CancellationToken.None);
        }

        foreach (var index in new[] { 0, 999, 1_999 })
        {
            var retry = await store.RecordDecisionOnceAsync(
                Retried(_harness.Decision($"e{index}", windowMs: 60_000)), new DecideResponse { ActionId = "second" }, CancellationToken.None);
            Assert.Equal(DecisionResponses.Of(decisions[index]), retry);
        }
    }

    [Fact]
    public async Task After_the_window_a_decision_with_the_same_id_is_not_answered_from_memory()
    {
        await using var store = await _harness.OpenAsync();
        var first = _harness.Decision("e1", windowMs: 1_000);
        await store.RecordDecisionOnceAsync(first, DecisionResponses.Of(first), CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromSeconds(2));

        var later = await store.RecordDecisionOnceAsync(_harness.Decision("e2"), new DecideResponse { ActionId = "other" }, CancellationToken.None);
        var again = await store.RecordDecisionOnceAsync(_harness.Decision("e1"), new DecideResponse { ActionId = "second" }, CancellationToken.None);

        Assert.Equal("other", later.ActionId);
        Assert.Equal("second", again.ActionId);
    }

    // A retry may be decided differently (another model version, another draw): the original still answers it.
    private static DecisionEvent Retried(DecisionEvent decision)
    {
        decision.ChosenIndex = 0;
        decision.ModelVersion++;
        return decision;
    }
}
