namespace Loops.Simulation.Scenarios;

/// <summary>
/// The speed benchmark's scenario: 10 actions and 30 numeric context features (the size the acceptance figure is
/// quoted for), three personas whose best action depends on a few features, and no delays.
/// </summary>
public static class BenchmarkScenario
{
    /// <summary>Creates the scenario with <paramref name="decisions"/> decisions.</summary>
    public static Scenario Create(int decisions, int actionCount = 10, int featureCount = 30)
    {
        var actions = Enumerable.Range(0, actionCount)
            .Select(a => new ActionSpec { Id = $"offer-{a}", Cost = a, CostOn = "conversion", Features = [new ActionFeatureSpec { Name = "amount", Number = 5 * (a + 1) }] })
            .ToList();
        var features = Enumerable.Range(0, featureCount).Select(f => new FeatureSpec { Name = $"x{f}" }).ToList();
        var personas = Enumerable.Range(0, 3).Select(p => new PersonaSpec
        {
            Name = $"persona-{p}",
            Share = 1,
            Features = features.ToDictionary(f => f.Name, f => new DistributionSpec { Distribution = "normal", Mean = f.Name == $"x{p}" ? 2 : 0, Sd = 1 }),
            Response = new ResponseSpec
            {
                Conversion = Enumerable.Range(0, actionCount).ToDictionary(a => $"offer-{a}", a => 0.05 + (0.004 * (a % 5)) + (a == 3 * p ? 0.1 : 0)),
                Revenue = actions.ToDictionary(a => a.Id, _ => 50.0),
                RevenueSpread = 0.5,
                Effects = [new EffectSpec { Feature = $"x{p + 3}", Actions = [$"offer-{p}"], ConversionLogit = 0.5 }],
            },
        }).ToList();
        return new Scenario
        {
            Name = "bench-10x30",
            Description = $"Speed benchmark: {actionCount} actions, {featureCount} numeric context features.",
            Traffic = new TrafficSpec { DecisionsPerDay = decisions, Days = 1 },
            RewardWindowHours = 1,
            Features = features,
            Actions = actions,
            Personas = personas,
            Strategies = ["loops:epsilon_greedy:0.05"],
            Seeds = 1,
        };
    }
}
