namespace Loops.Simulation.Scenarios;

/// <summary>A kind of player: its share of traffic, how its features are distributed and how it responds.</summary>
public sealed record PersonaSpec
{
    /// <summary>The persona's name, unique in the scenario.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Its share of traffic; shares are normalised by their sum.</summary>
    public double Share { get; init; }

    /// <summary>The distribution of each context feature, by feature name; every feature needs one.</summary>
    public IReadOnlyDictionary<string, DistributionSpec> Features { get; init; } = new Dictionary<string, DistributionSpec>();

    /// <summary>The persona's true response to each action.</summary>
    public ResponseSpec Response { get; init; } = new();
}
