namespace Loops.Simulation.Scenarios;

/// <summary>The arrival of decisions: a constant rate over a number of days.</summary>
public sealed record TrafficSpec
{
    /// <summary>Decisions per simulated day.</summary>
    public int DecisionsPerDay { get; init; } = 1000;

    /// <summary>The horizon in days.</summary>
    public double Days { get; init; } = 10;
}
