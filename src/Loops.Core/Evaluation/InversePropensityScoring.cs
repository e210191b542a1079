namespace Loops.Core.Evaluation;

/// <summary>
/// Inverse propensity scoring (IPS, also "inverse probability weighting"): V̂ = (1/n) Σ w_i r_i. Unbiased when the
/// logger gives every action the target plays a positive probability and the logged propensities are right; its
/// variance grows with the importance weights.
/// </summary>
public sealed class InversePropensityScoring : OffPolicyEstimator
{
    /// <inheritdoc />
    public override string Name => "ips";

    /// <inheritdoc />
    public override bool UsesRewardModel => false;

    /// <inheritdoc />
    protected internal override EstimatorTerm Term(in EvaluationSample sample) =>
        new(0, sample.ImportanceWeight * sample.Reward, 1);
}
