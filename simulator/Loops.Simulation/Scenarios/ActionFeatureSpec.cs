namespace Loops.Simulation.Scenarios;

/// <summary>A feature of an action: a number or a category.</summary>
public sealed record ActionFeatureSpec
{
    /// <summary>The feature's name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The numeric value, when the feature is numeric.</summary>
    public double? Number { get; init; }

    /// <summary>The category, when the feature is categorical.</summary>
    public string? Category { get; init; }
}
