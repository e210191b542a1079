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
    public void Lookups_agree_with_a_plain_model_through_evictions_retries_and_colliding_slots()
    {
        const int Capacity = 50;
        var recent = new RecentDecisions(Capacity);
        var random = new Random(7);
        var kept = new Dictionary<string, int>();
        var order = new Queue<string>();
        for (var step = 0; step < 5000; step++)
        {
            // Ids from a small pool: retries of kept ids, and ids coming back after they were forgotten.
            var eventId = $"e{random.Next(200)}";
            recent.Add(eventId, "a", Decision(eventId, "a", chosen: step).ToByteArray());
            if (!kept.ContainsKey(eventId))
            {
                if (order.Count == Capacity)
                {
                    kept.Remove(order.Dequeue());
                }

                kept[eventId] = step;
                order.Enqueue(eventId);
            }

            var probes = step % 500 == 0 ? Enumerable.Range(0, 200) : Enumerable.Range(0, 10).Select(_ => random.Next(200));
            foreach (var probe in probes.Select(index => $"e{index}"))
            {
                Assert.Equal(kept.TryGetValue(probe, out var chosen) ? chosen : null, recent.Find(probe)?.ChosenIndex);
            }
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
