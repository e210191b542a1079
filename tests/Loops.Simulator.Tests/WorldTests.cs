using Loops.Simulation.Running;
using Loops.Simulation.World;

namespace Loops.Simulator.Tests;

/// <summary>Statistical checks of the simulated world against its own ground truth.</summary>
public sealed class WorldTests
{
    [Fact]
    public void Realised_net_value_matches_the_true_expectation()
    {
        var environment = new ScenarioEnvironment(Scenarios.Load("welcome-bonus"));
        var context = environment.NewContext();
        var conversion = new double[environment.ActionCount];
        var revenue = new double[environment.ActionCount];
        var expected = new double[environment.ActionCount];
        double realised = 0, predicted = 0, sumOfSquares = 0;
        const int steps = 20_000;
        const int action = 3;
        for (var step = 0; step < steps; step++)
        {
            environment.DrawContext(7, step, context);
            SimulationRunner.Evaluate(environment, context, conversion, revenue, expected);
            var net = environment.Realize(7, step, action, conversion[action], revenue[action], context.Persona).Net;
            realised += net;
            sumOfSquares += net * net;
            predicted += expected[action];
        }

        var standardError = Math.Sqrt(((sumOfSquares / steps) - Math.Pow(realised / steps, 2)) / steps);
        Assert.InRange((realised - predicted) / steps, -4 * standardError, 4 * standardError);
    }

    [Fact]
    public void Persona_shares_follow_the_scenario_and_its_drift()
    {
        var scenario = Scenarios.Load("welcome-bonus");
        var environment = new ScenarioEnvironment(scenario);
        var context = environment.NewContext();
        var perDay = scenario.Traffic.DecisionsPerDay;
        var before = new int[environment.PersonaCount];
        var after = new int[environment.PersonaCount];
        for (var step = 0; step < environment.Horizon; step++)
        {
            environment.DrawContext(3, step, context);
            (step < 7 * perDay ? before : after)[context.Persona]++;
        }

        // bonus-hunter: 30% of traffic before day 7, 40% after (3 standard errors of a share over 14,000 draws ≈ 0.012).
        Assert.InRange(before[2] / (double)before.Sum(), 0.285, 0.315);
        Assert.InRange(after[2] / (double)after.Sum(), 0.385, 0.415);
    }

    [Fact]
    public void A_later_conversion_than_the_window_is_unseen_by_learners()
    {
        var environment = new ScenarioEnvironment(Scenarios.Load("welcome-bonus"));
        var late = new Outcome(true, 100, 40, environment.RewardWindowSteps + 1);
        var inTime = late with { DelaySteps = environment.RewardWindowSteps };

        Assert.Equal(0, environment.ObservedReward(2, late));
        Assert.Equal(60, environment.ObservedReward(2, inTime));
        Assert.Equal(-8, environment.ObservedReward(1, late with { Cost = 8 }));
    }
}
