namespace Loops.Simulation.Scenarios;

/// <summary>
/// The true response of a persona. For action a and context x the conversion probability is
/// sigmoid(logit(conversion[a]) + Σ effect.conversionLogit × value(x)) and the revenue of a conversion has mean
/// revenue[a] × exp(Σ effect.revenueLog × value(x)), with log-normal noise of spread <see cref="RevenueSpread"/>.
/// </summary>
public sealed record ResponseSpec
{
    /// <summary>The conversion probability per action id, at the features' centres.</summary>
    public IReadOnlyDictionary<string, double> Conversion { get; init; } = new Dictionary<string, double>();

    /// <summary>The mean revenue of a conversion per action id, at the features' centres.</summary>
    public IReadOnlyDictionary<string, double> Revenue { get; init; } = new Dictionary<string, double>();

    /// <summary>The standard deviation of the logarithm of revenue around its mean (0: no noise).</summary>
    public double RevenueSpread { get; init; }

    /// <summary>How the features shift conversion and revenue, possibly for some actions only.</summary>
    public IReadOnlyList<EffectSpec> Effects { get; init; } = [];
}
