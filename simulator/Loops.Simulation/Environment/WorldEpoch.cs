using Loops.Simulation.Scenarios;

namespace Loops.Simulation.World;

/// <summary>
/// The state of the world between two drift days: persona shares and, per persona and action, the log-odds shift
/// of conversion and the revenue multiplier. Built once, so a step only looks its epoch up.
/// </summary>
internal sealed class WorldEpoch
{
    private WorldEpoch(int startStep, double[] cumulativeShares, double[,] logOddsShift, double[,] revenueMultiplier)
    {
        StartStep = startStep;
        CumulativeShares = cumulativeShares;
        LogOddsShift = logOddsShift;
        RevenueMultiplier = revenueMultiplier;
    }

    public int StartStep { get; }

    public double[] CumulativeShares { get; }

    public double[,] LogOddsShift { get; }

    public double[,] RevenueMultiplier { get; }

    public static WorldEpoch[] Build(Scenario scenario)
    {
        var personas = scenario.Personas.Select(p => p.Name).ToList();
        var actions = scenario.Actions.Select(a => a.Id).ToList();
        var shares = scenario.Personas.Select(p => p.Share).ToArray();
        var shift = new double[personas.Count, actions.Count];
        var revenue = new double[personas.Count, actions.Count];
        for (var p = 0; p < personas.Count; p++)
        {
            for (var a = 0; a < actions.Count; a++)
            {
                revenue[p, a] = 1;
            }
        }

        var epochs = new List<WorldEpoch>();
        var changes = scenario.Drift.OrderBy(d => d.AtDay).ToList();
        var startStep = 0;
        var next = 0;
        do
        {
            // Every change that starts at or before this epoch's first step applies from it on.
            while (next < changes.Count && StepOf(changes[next].AtDay, scenario) <= startStep)
            {
                Apply(changes[next++], personas, actions, shares, shift, revenue);
            }

            epochs.Add(new WorldEpoch(startStep, FeatureSampler.Cumulative(shares), (double[,])shift.Clone(), (double[,])revenue.Clone()));
            if (next < changes.Count)
            {
                startStep = StepOf(changes[next].AtDay, scenario);
            }
        }
        while (next < changes.Count);

        return [.. epochs];
    }

    private static int StepOf(double day, Scenario scenario) => (int)Math.Round(day * scenario.Traffic.DecisionsPerDay);

    private static void Apply(DriftSpec drift, List<string> personas, List<string> actions, double[] shares, double[,] shift, double[,] revenue)
    {
        foreach (var (name, share) in drift.Shares ?? new Dictionary<string, double>())
        {
            shares[personas.IndexOf(name)] = share;
        }

        for (var p = 0; p < personas.Count; p++)
        {
            if (drift.Persona is not null && drift.Persona != personas[p])
            {
                continue;
            }

            for (var a = 0; a < actions.Count; a++)
            {
                if (drift.Action is null || drift.Action == actions[a])
                {
                    shift[p, a] += Math.Log(Math.Max(drift.ConversionOddsMultiplier, 1e-12));
                    revenue[p, a] *= drift.RevenueMultiplier;
                }
            }
        }
    }
}
