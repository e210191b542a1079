using Loops.Simulation.Scenarios;

namespace Loops.Simulator.Tests;

public sealed class ScenarioLoaderTests
{
    [Theory]
    [InlineData("welcome-bonus")]
    [InlineData("churn-reactivation")]
    [InlineData("referral-incentive")]
    public async Task Shipped_scenarios_load(string name)
    {
        var scenario = await ScenarioLoader.LoadAsync(TestPaths.Scenario(name), CancellationToken.None);

        Assert.Equal(name, scenario.Name);
        Assert.True(scenario.Actions.Count >= 3);
        Assert.True(scenario.Personas.Count >= 2);
    }

    [Fact]
    public void An_invalid_scenario_names_every_broken_field()
    {
        var json = File.ReadAllText(TestPaths.Scenario("welcome-bonus"))
            .Replace("\"match-50\": 0.16", "\"match-50\": 1.6", StringComparison.Ordinal)
            .Replace("\"decisionsPerDay\": 2000", "\"decisionsPerDay\": 0", StringComparison.Ordinal);

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(json, "broken.json"));

        Assert.Contains("personas[0].response.conversion.match-50", error.Message, StringComparison.Ordinal);
        Assert.Contains("traffic.decisionsPerDay", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("broken.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_property_is_an_error_with_its_path()
    {
        var json = File.ReadAllText(TestPaths.Scenario("welcome-bonus")).Replace("\"rewardWindowHours\"", "\"rewardWindowHour\"", StringComparison.Ordinal);

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(json, "typo.json"));

        Assert.Contains("rewardWindowHour", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_persona_missing_a_feature_distribution_is_an_error()
    {
        var scenario = Scenarios.Load("welcome-bonus");
        var persona = scenario.Personas[0] with { Features = scenario.Personas[0].Features.Where(f => f.Key != "age").ToDictionary() };
        var broken = scenario with { Personas = [persona, .. scenario.Personas.Skip(1)] };

        var errors = ScenarioValidator.Validate(broken);

        Assert.Contains(errors, e => e.StartsWith("personas[0].features.age", StringComparison.Ordinal));
    }

    [Fact]
    public void The_schema_names_every_top_level_property_of_the_model()
    {
        var schema = File.ReadAllText(Path.Combine(TestPaths.Scenarios, "scenario.schema.json"));
        foreach (var property in typeof(Scenario).GetProperties())
        {
            var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            Assert.Contains($"\"{name}\"", schema, StringComparison.Ordinal);
        }
    }
}
