using Loops.Simulation.World;

namespace Loops.Simulation.Strategies;

/// <summary>Finds the single action with the highest true expected net value averaged over a run's players.</summary>
internal static class BestFixedAction
{
    private const int MaxSamples = 50_000;
    private const ulong SampleSeed = 0x5EED_F1C5;

    public static int Find(ScenarioEnvironment environment)
    {
        var totals = new double[environment.ActionCount];
        var conversion = new double[environment.ActionCount];
        var revenue = new double[environment.ActionCount];
        var context = environment.NewContext();
        var stride = Math.Max(1, environment.Horizon / MaxSamples);
        for (var step = 0; step < environment.Horizon; step += stride)
        {
            environment.DrawContext(SampleSeed, step, context);
            environment.Respond(context, conversion, revenue);
            for (var a = 0; a < totals.Length; a++)
            {
                totals[a] += environment.ExpectedNet(a, conversion[a], revenue[a]);
            }
        }

        return OracleStrategy.Best(totals);
    }
}
