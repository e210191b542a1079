namespace Loops.Simulation.Scenarios;

/// <summary>The delay between a decision and its conversion.</summary>
public sealed record DelaySpec
{
    /// <summary>"none", "fixed", "exponential" or "uniform".</summary>
    public string Distribution { get; init; } = "none";

    /// <summary>The mean delay in hours (fixed: the delay; uniform: the middle of [0, 2 × mean]).</summary>
    public double MeanHours { get; init; }

    /// <summary>The longest delay in hours; longer exponential draws are cut to it. 0: no limit.</summary>
    public double MaxHours { get; init; }
}
