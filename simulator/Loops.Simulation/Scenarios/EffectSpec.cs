namespace Loops.Simulation.Scenarios;

/// <summary>
/// The effect of one feature on a persona's response. Its value is (x − center) / scale for a numeric feature,
/// and 1 when the player's category equals <see cref="Category"/> (else 0) for a categorical one.
/// </summary>
public sealed record EffectSpec
{
    /// <summary>The feature's name.</summary>
    public string Feature { get; init; } = string.Empty;

    /// <summary>For a categorical feature: the category the effect applies to.</summary>
    public string? Category { get; init; }

    /// <summary>The actions the effect applies to; all when empty.</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>Added to the logit of the conversion probability per unit of value.</summary>
    public double ConversionLogit { get; init; }

    /// <summary>Added to the logarithm of mean revenue per unit of value.</summary>
    public double RevenueLog { get; init; }
}
