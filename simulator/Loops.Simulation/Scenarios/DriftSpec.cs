namespace Loops.Simulation.Scenarios;

/// <summary>A change of the world from a given day on. Changes accumulate (multipliers multiply).</summary>
public sealed record DriftSpec
{
    /// <summary>The day the change starts (0 is the start).</summary>
    public double AtDay { get; init; }

    /// <summary>The persona affected; all when absent.</summary>
    public string? Persona { get; init; }

    /// <summary>The action affected; all when absent.</summary>
    public string? Action { get; init; }

    /// <summary>Multiplies the odds of conversion (1: no change).</summary>
    public double ConversionOddsMultiplier { get; init; } = 1;

    /// <summary>Multiplies the mean revenue (1: no change).</summary>
    public double RevenueMultiplier { get; init; } = 1;

    /// <summary>New traffic shares by persona name from this day on; unchanged when absent.</summary>
    public IReadOnlyDictionary<string, double>? Shares { get; init; }
}
