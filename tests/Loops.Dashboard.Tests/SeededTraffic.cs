using Loops.Client;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Dashboard.Tests;

/// <summary>
/// A seeded simulation of players of three segments driven through the gRPC API: each player gets a decision, and
/// converts (a deposit, reported as the reward) with a probability that depends on the segment and the bonus.
/// </summary>
internal static class SeededTraffic
{
    public static readonly string[] Segments = ["casual", "high-roller", "bonus-hunter"];

    public static Policy Policy(string name) => new()
    {
        Name = name,
        Epsilon = 0.1,
        RewardWindowSeconds = 1,
        Actions =
        {
            new Action { Id = "match-100", Cost = 10 },
            new Action { Id = "free-spins-50", Cost = 4 },
            new Action { Id = "no-bonus" },
        },
        ContextSchema =
        {
            new ContextFeatureSpec { Namespace = "player", Name = "segment", Type = FeatureType.Category },
            new ContextFeatureSpec { Namespace = "player", Name = "channel", Type = FeatureType.Category },
        },
        Constraints = new Contracts.V1.Constraints
        {
            NoBonusActionId = "no-bonus",
            ControlShare = 0.2,
            BaselineActionId = "no-bonus",
            Objective = "net_value",
            Budget = new Budget { Amount = 100_000, PeriodSeconds = 86_400 },
        },
        Retraining = new RetrainingSettings
        {
            Challengers = { new Challenger { Name = "greedy", Epsilon = 0.02 } },
            EvaluateEveryEvents = 1000,
            EvaluationWindowEvents = 400,
        },
    };

    /// <summary>Makes <paramref name="decisions"/> decisions with 8 players at once and reports every conversion.</summary>
    public static async Task RunAsync(LoopsClient client, string policy, int decisions, int seed, CancellationToken cancellationToken)
    {
        var next = -1;
        var players = Enumerable.Range(0, 8).Select(worker => Task.Run(
            async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < decisions)
                {
                    var random = new Random(HashCode.Combine(seed, index));
                    var segment = Segments[random.Next(Segments.Length)];
                    var request = new DecideRequest { Policy = policy, UserId = $"player-{index}", EventId = $"{policy}-{seed}-{index}" };
                    request.Context.Add(new Feature { Namespace = "player", Name = "segment", Category = segment });
                    request.Context.Add(new Feature { Namespace = "player", Name = "channel", Category = random.Next(2) == 0 ? "organic" : "social" });
                    var decision = await client.DecideAsync(request, cancellationToken);
                    if (random.NextDouble() < ConversionProbability(segment, decision.ActionId))
                    {
                        await client.RewardAsync(decision.EventId, 20 + (random.NextDouble() * 60), cancellationToken);
                    }
                }
            },
            cancellationToken));
        await Task.WhenAll(players);
    }

    private static double ConversionProbability(string segment, string action) => (segment, action) switch
    {
        ("high-roller", "match-100") => 0.6,
        ("high-roller", _) => 0.3,
        ("bonus-hunter", "free-spins-50") => 0.5,
        ("bonus-hunter", _) => 0.1,
        (_, "no-bonus") => 0.2,
        _ => 0.3,
    };
}
