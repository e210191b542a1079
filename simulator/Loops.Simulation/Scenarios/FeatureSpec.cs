namespace Loops.Simulation.Scenarios;

/// <summary>A context feature of every player, sent to the policies as a <c>loops.v1.Feature</c>.</summary>
public sealed record FeatureSpec
{
    /// <summary>The feature's namespace; default "player".</summary>
    public string Namespace { get; init; } = "player";

    /// <summary>The feature's name, unique in the scenario.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The categories of a categorical feature; empty for a numeric feature.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>For a numeric feature: the value at which response effects are zero.</summary>
    public double Center { get; init; }

    /// <summary>For a numeric feature: the change of value that one unit of an effect coefficient stands for.</summary>
    public double Scale { get; init; } = 1;
}
