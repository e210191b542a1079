namespace Loops.Core.Evaluation;

/// <summary>
/// Self-normalised IPS (SNIPS; Swaminathan &amp; Joachims, 2015, "The Self-Normalized Estimator for Counterfactual
/// Learning"): V̂ = Σ w_i r_i / Σ w_i. Slightly biased but consistent; far less variable than IPS when weights are
/// large, and invariant to adding a constant to every reward. The interval uses the delta method (see
/// <see cref="OffPolicyEstimator"/>).
/// </summary>
public sealed class SelfNormalizedInversePropensityScoring : OffPolicyEstimator
{
    /// <inheritdoc />
    public override string Name => "snips";

    /// <inheritdoc />
    public override bool UsesRewardModel => false;

    /// <inheritdoc />
    protected internal override EstimatorTerm Term(in EvaluationSample sample)
    {
        double weight = sample.ImportanceWeight;
        return new EstimatorTerm(0, weight * sample.Reward, weight);
    }
}
