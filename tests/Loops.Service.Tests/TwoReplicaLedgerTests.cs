using System.Collections.Concurrent;
using Loops.Contracts.V1;
using static Loops.Service.Tests.ConstraintPolicies;

namespace Loops.Service.Tests;

/// <summary>Two service replicas share one Redis ledger; concurrent decisions must never exceed a cap or the budget.</summary>
public sealed class TwoReplicaLedgerTests
{
    private const double Budget = 500;
    private const double ValueCap = 30;
    private const int Users = 150;
    private const int DecisionsPerUser = 4;

    [Fact]
    public async Task Concurrent_decisions_on_two_replicas_never_exceed_caps_or_budget()
    {
        using var redis = await RedisServer.StartAsync();
        var setting = $"--Loops:Constraints:Redis={redis.Endpoint}";
        await using var first = await ServiceHost.StartAsync(null, setting);
        await using var second = await ServiceHost.StartAsync(null, setting);
        var constraints = new Contracts.V1.Constraints
        {
            NoBonusActionId = "none",
            Budget = new Budget { Amount = Budget, PeriodSeconds = 400 * 86400 },
            ValueCap = new ValueCap { MaxCost = ValueCap, PeriodSeconds = 400 * 86400 },
        };
        constraints.FrequencyCaps.Add(new FrequencyCap { Id = "one-b10", ActionId = "b10", MaxCount = 1, WindowSeconds = 86400 });
        constraints.FrequencyCaps.Add(new FrequencyCap { Id = "two-bonuses", ActionId = "*", MaxCount = 2, WindowSeconds = 86400 });
        var policy = Bonuses("tight", constraints);
        await first.Client.UpsertPolicyAsync(policy).WaitAsync(TimeSpan.FromSeconds(30));
        await second.Client.UpsertPolicyAsync(policy).WaitAsync(TimeSpan.FromSeconds(30));

        var given = new ConcurrentBag<(string User, string Action, double Cost)>();
        var costs = new Dictionary<string, double> { ["none"] = 0, ["b10"] = 10, ["b25"] = 25 };
        var work = Enumerable.Range(0, Users * DecisionsPerUser).ToArray();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
        {
            var host = i % 2 == 0 ? first : second;
            var user = $"user-{i % Users}";
            var response = await host.Client.DecideAsync(new DecideRequest { Policy = "tight", UserId = user }, token)
                .WaitAsync(TimeSpan.FromSeconds(30), token);
            given.Add((user, response.ActionId, costs[response.ActionId]));
        });

        var spend = given.Sum(g => g.Cost);
        Assert.InRange(spend, Budget - 25, Budget);
        foreach (var user in given.GroupBy(g => g.User))
        {
            Assert.True(user.Count(g => g.Action == "b10") <= 1, $"{user.Key} got b10 more than once");
            Assert.True(user.Count(g => g.Action != "none") <= 2, $"{user.Key} got more than two bonuses");
            Assert.True(user.Sum(g => g.Cost) <= ValueCap, $"{user.Key} got more than {ValueCap} of bonuses");
        }
    }
}
