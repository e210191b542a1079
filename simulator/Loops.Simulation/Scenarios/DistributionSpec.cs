namespace Loops.Simulation.Scenarios;

/// <summary>The distribution of one feature within a persona.</summary>
public sealed record DistributionSpec
{
    /// <summary>For numeric features: "normal", "lognormal", "uniform" or "constant".</summary>
    public string Distribution { get; init; } = "normal";

    /// <summary>normal: the mean; constant: the value.</summary>
    public double Mean { get; init; }

    /// <summary>normal: the standard deviation.</summary>
    public double Sd { get; init; }

    /// <summary>lognormal: the median.</summary>
    public double Median { get; init; }

    /// <summary>lognormal: the standard deviation of the logarithm.</summary>
    public double Sigma { get; init; }

    /// <summary>uniform: the lower bound.</summary>
    public double Min { get; init; }

    /// <summary>uniform: the upper bound.</summary>
    public double Max { get; init; }

    /// <summary>For categorical features: the probability of each category (normalised by their sum).</summary>
    public IReadOnlyDictionary<string, double>? Probabilities { get; init; }
}
