using System.Collections.Concurrent;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Service.Tests;

/// <summary>The whole loop over gRPC: decide, reward, join within the window, learn, decide better.</summary>
public sealed class LearningEndToEndTests
{
    private static readonly string[] Actions = ["bonus-small", "bonus-large", "free-spins"];
    private static readonly Dictionary<string, string> BestActionBySegment = new()
    {
        ["casual"] = "free-spins",
        ["whale"] = "bonus-large",
    };

    [Fact]
    public async Task Policy_learns_the_best_action_of_each_segment()
    {
        await using var host = await ServiceHost.StartAsync();
        await host.Client.UpsertPolicyAsync(new Policy { Name = "welcome-bonus", Epsilon = 0.1, RewardWindowSeconds = 1 });

        const int decisions = 3000;
        var outcomes = new ConcurrentDictionary<int, (bool Best, double MinProbability)>();
        var next = -1;
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            int index;
            while ((index = Interlocked.Increment(ref next)) < decisions)
            {
                var segment = random.Next(2) == 0 ? "casual" : "whale";
                var request = new DecideRequest { Policy = "welcome-bonus", UserId = $"user-{index}" };
                request.Context.Add(new Feature { Namespace = "player", Name = "segment", Category = segment });
                request.Actions.Add(Actions.Select(id => new Action { Id = id }));
                var response = await host.Client.DecideAsync(request);
                var best = response.ActionId == BestActionBySegment[segment];
                outcomes[index] = (best, response.Ranking.Min(r => r.Probability));
                if (random.NextDouble() < (best ? 0.7 : 0.2))
                {
                    await host.Client.RewardAsync(response.EventId, 1);
                }

                // A steady stream of traffic, as from a game backend: the whole run spans several reward windows.
                await Task.Delay(10);
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(3));

        var lastShare = Enumerable.Range(decisions - 500, 500).Average(i => outcomes[i].Best ? 1.0 : 0.0);
        Assert.True(lastShare >= 0.8, $"share of best actions among the last 500 decisions: {lastShare:F3}");
        Assert.All(outcomes.Values, o => Assert.True(o.MinProbability > 0, "an action got probability 0 while epsilon > 0"));
        var policy = await host.Client.GetPolicyAsync("welcome-bonus");
        Assert.True(policy.EventsLearned > 1000, $"events learned: {policy.EventsLearned}");
    }

    [Fact]
    public async Task Same_event_id_replays_the_same_decision()
    {
        await using var host = await ServiceHost.StartAsync();
        await host.Client.UpsertPolicyAsync(new Policy { Name = "replay", Epsilon = 1 });
        var request = new DecideRequest { Policy = "replay", EventId = "event-42" };
        request.Actions.Add(Enumerable.Range(0, 10).Select(i => new Action { Id = $"a{i}" }));
        var first = await host.Client.DecideAsync(request);
        for (var i = 0; i < 5; i++)
        {
            var again = await host.Client.DecideAsync(request);
            Assert.Equal(first.ActionId, again.ActionId);
            Assert.Equal(first.Probability, again.Probability);
        }

        Assert.Equal(0.1, first.Probability, 12);
        Assert.Equal(1.0, first.Ranking.Sum(r => r.Probability), 12);
    }
}
