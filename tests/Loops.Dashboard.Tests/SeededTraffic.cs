using Loops.Client;
using Loops.Contracts.V1;
using Loops.Simulation.Scenarios;
using Loops.Simulation.World;

namespace Loops.Dashboard.Tests;

/// <summary>
/// A seeded run of the simulator's <c>welcome-bonus</c> scenario driven through the gRPC API: each player the
/// simulator draws (its persona, which a CRM knows from segmentation, is sent as <c>player.persona</c>) gets a
/// decision, and the simulator's response model says whether and how much they deposit, reported as the reward.
/// The policy adds what the dashboard shows: a control group, a budget, the net-value objective and a challenger.
/// </summary>
internal sealed class SeededTraffic(ScenarioEnvironment environment)
{
    /// <summary>Loads the shipped scenario from the repository's <c>simulator/scenarios</c>.</summary>
    public static async Task<SeededTraffic> LoadAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(RepositoryRoot(), "simulator", "scenarios", "welcome-bonus.json");
        return new SeededTraffic(new ScenarioEnvironment(await ScenarioLoader.LoadAsync(path, cancellationToken)));
    }

    public Policy Policy(string name)
    {
        var policy = new Policy
        {
            Name = name,
            Epsilon = 0.1,
            RewardWindowSeconds = 1,
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
        policy.Actions.Add(environment.NewActions());
        policy.ContextSchema.Add(environment.Scenario.Features.Select(f => new ContextFeatureSpec
        {
            Namespace = f.Namespace,
            Name = f.Name,
            Type = f.Categories.Count > 0 ? FeatureType.Category : FeatureType.Number,
        }));
        policy.ContextSchema.Add(new ContextFeatureSpec { Namespace = "player", Name = "persona", Type = FeatureType.Category });
        return policy;
    }

    /// <summary>
    /// Makes the decisions of steps <paramref name="first"/> to <paramref name="end"/> (exclusive) with 8 players at
    /// once and reports every conversion.
    /// </summary>
    public async Task RunAsync(LoopsClient client, string policy, int first, int end, ulong seed, CancellationToken cancellationToken)
    {
        var next = first - 1;
        var players = Enumerable.Range(0, 8).Select(worker => Task.Run(
            async () =>
            {
                var context = environment.NewContext();
                var conversion = new double[environment.ActionCount];
                var revenue = new double[environment.ActionCount];
                int step;
                while ((step = Interlocked.Increment(ref next)) < end)
                {
                    environment.DrawContext(seed, step, context);
                    var features = environment.NewFeatures();
                    environment.WriteFeatures(context, features);
                    var request = new DecideRequest { Policy = policy, UserId = $"player-{step}", EventId = $"{policy}-{seed}-{step}" };
                    request.Context.Add(features);
                    request.Context.Add(new Feature { Namespace = "player", Name = "persona", Category = environment.Scenario.Personas[context.Persona].Name });
                    var decision = await client.DecideAsync(request, cancellationToken);
                    var action = Array.FindIndex(environment.Scenario.Actions.ToArray(), a => a.Id == decision.ActionId);
                    environment.Respond(context, conversion, revenue);
                    var outcome = environment.Realize(seed, step, action, conversion[action], revenue[action], context.Persona);
                    if (outcome.Converted)
                    {
                        await client.RewardAsync(decision.EventId, outcome.Revenue, cancellationToken);
                    }
                }
            },
            cancellationToken));
        await Task.WhenAll(players);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Loops.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No Loops.sln above the test assembly.");
    }
}
