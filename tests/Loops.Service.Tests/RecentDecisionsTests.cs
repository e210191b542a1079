using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Service.Decisions;

namespace Loops.Service.Tests;

public sealed class RecentDecisionsTests
{
    [Fact]
    public void Decisions_are_found_by_event_id_until_the_capacity_forgets_the_oldest()
    {
        var recent = new RecentDecisions(capacity: 3);
        foreach (var (eventId, policy) in new[] { ("e1", "a"), ("e2", "b"), ("e3", "a"), ("e4", "a") })
        {
            recent.Add(eventId, policy, Decision(eventId, policy).ToByteArray());
        }

        Assert.Null(recent.Find("e1"));
        Assert.Null(recent.Find("unknown"));
        Assert.Equal(Decision("e2", "b"), recent.Find("e2"));
        Assert.Equal(Decision("e4", "a"), recent.Find("e4"));
        Assert.Equal(["e4", "e3"], recent.Latest("a", limit: 10).Select(decision => decision.EventId));
        Assert.Equal(["e4"], recent.Latest("a", limit: 1).Select(decision => decision.EventId));
    }

    [Fact]
    public void A_second_decision_with_the_same_event_id_keeps_the_first()
    {
        var recent = new RecentDecisions(capacity: 10);
        recent.Add("e1", "a", Decision("e1", "a", chosen: 1).ToByteArray());
        recent.Add("e1", "a", Decision("e1", "a", chosen: 2).ToByteArray());

        Assert.Equal(1, recent.Find("e1")!.ChosenIndex);
        Assert.Equal(["e1"], recent.Latest("a", limit: 10).Select(decision => decision.EventId));
    }

    [Fact]
    public void Decisions_are_found_wherever_the_ring_has_wrapped_to()
    {
        var recent = new RecentDecisions(capacity: 7);
        for (var i = 0; i < 30; i++)
        {
            recent.Add($"e{i}", "a", Decision($"e{i}", "a", chosen: i).ToByteArray());
            for (var kept = Math.Max(0, i - 6); kept <= i; kept++)
            {
                Assert.Equal(kept, recent.Find($"e{kept}")!.ChosenIndex);
            }

            Assert.Null(recent.Find($"e{i - 7}"));
        }
    }

    [Fact]
    public void Nothing_is_kept_at_capacity_zero()
    {
        var recent = new RecentDecisions(capacity: 0);
        recent.Add("e1", "a", Decision("e1", "a").ToByteArray());

        Assert.Null(recent.Find("e1"));
        Assert.Empty(recent.Latest("a", limit: 10));
    }

    private static DecisionEvent Decision(string eventId, string policy, int chosen = 0) =>
        new() { EventId = eventId, Policy = policy, ChosenIndex = chosen, UserId = "u-" + eventId };
}
