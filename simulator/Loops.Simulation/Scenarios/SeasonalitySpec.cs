namespace Loops.Simulation.Scenarios;

/// <summary>A periodic swing of conversion: odds × exp(amplitude × sin(2π (day − phase) / period)).</summary>
public sealed record SeasonalitySpec
{
    /// <summary>The period in days, e.g. 7 for a weekly cycle.</summary>
    public double PeriodDays { get; init; } = 7;

    /// <summary>The amplitude on the log-odds scale (0.3 ≈ ±35% odds).</summary>
    public double Amplitude { get; init; }

    /// <summary>Shifts the cycle, in days.</summary>
    public double PhaseDays { get; init; }
}
