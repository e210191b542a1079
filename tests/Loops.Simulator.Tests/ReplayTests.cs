using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Simulation.Replay;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Simulator.Tests;

public sealed class ReplayTests
{
    [Fact]
    public async Task The_obd_uniform_log_reads_with_its_items_and_propensities()
    {
        var events = (await ReplayLogs.ReadObdAsync(TestPaths.Obd, "random", "men", int.MaxValue, CancellationToken.None)).Events;

        Assert.Equal(10_000, events.Count);
        Assert.All(events, e => Assert.Equal(34, e.Actions.Count));
        Assert.Equal(46, events.Sum(e => e.Reward));
        Assert.All(events, e => Assert.Equal(1.0 / 34, e.LoggingProbability, 12));
    }

    [Fact]
    public async Task Replaying_the_uniform_policy_matches_about_one_event_in_k_and_estimates_the_click_rate()
    {
        var events = (await ReplayLogs.ReadObdAsync(TestPaths.Obd, "random", "men", int.MaxValue, CancellationToken.None)).Events;

        var replay = ReplayEvaluator.Evaluate("uniform", events, ReplayPolicies.Create("uniform", events, 1), 1);

        // Matches are binomial(10,000, 1/34): mean 294, standard deviation about 17.
        Assert.InRange(replay.Matched, 294 - (4 * 17), 294 + (4 * 17));
        Assert.Equal(events.Count, replay.Accepted);
        Assert.InRange(0.0046, replay.Low, replay.High + 0.02);
    }

    [Fact]
    public async Task A_loops_policy_replays_on_obd_and_learns_from_its_matches()
    {
        var events = (await ReplayLogs.ReadObdAsync(TestPaths.Obd, "random", "women", 3000, CancellationToken.None)).Events;

        var replay = ReplayEvaluator.Evaluate("loops", events, ReplayPolicies.Create("loops:epsilon_greedy:0.1", events, 1), 1);

        Assert.InRange(replay.Matched, 20, 200);
        Assert.True(replay.Value >= 0 && replay.Value <= 1);
    }

    [Fact]
    public async Task A_non_uniform_project_log_is_made_uniform_by_rejection()
    {
        // Action "a" is logged 80% of the time, "b" 20%; action b always pays 1, a pays 0. The "action:b" policy is
        // worth 1, and replay after rejection must find exactly that, from about 2 × 20% of the events.
        var path = Path.GetTempFileName();
        try
        {
            var random = new Random(5);
            var lines = Enumerable.Range(0, 5000).Select(i =>
            {
                var chosen = random.NextDouble() < 0.8 ? 0 : 1;
                var decision = new DecisionEvent { EventId = $"e{i}", Policy = "p", ChosenIndex = chosen };
                decision.Context.Add(new Feature { Namespace = "user", Name = "x", Number = random.NextDouble() });
                decision.Actions.Add(new Action { Id = "a" });
                decision.Actions.Add(new Action { Id = "b" });
                decision.Probabilities.Add([0.8, 0.2]);
                return JsonFormatter.Default.Format(new JoinedEvent { Decision = decision, Reward = chosen });
            });
            File.WriteAllLines(path, lines);
            var events = (await JoinedEventReader.ReadAsync(path, CancellationToken.None)).Events;

            var replay = ReplayEvaluator.Evaluate("action:b", events, ReplayPolicies.Create("action:b", events, 3), 3);

            Assert.Equal(1, replay.Value);
            Assert.InRange(replay.Accepted, 1700, 2300);
            Assert.InRange(replay.Matched / (double)replay.Accepted, 0.45, 0.55);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_log_with_only_the_chosen_probability_cannot_be_replayed()
    {
        var events = (await ReplayLogs.ReadObdAsync(TestPaths.Obd, "bts", "men", 10, CancellationToken.None)).Events;

        Assert.Throws<InvalidOperationException>(() => ReplayEvaluator.Evaluate("uniform", events, ReplayPolicies.Create("uniform", events, 1), 1));
    }
}
