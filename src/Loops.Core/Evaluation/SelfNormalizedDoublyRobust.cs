namespace Loops.Core.Evaluation;

/// <summary>
/// Self-normalised doubly robust (SNDR, as defined in Open Bandit Pipeline):
/// V̂ = (1/n) Σ v̂(x_i) + Σ w_i (r_i − q̂(x_i, a_i)) / Σ w_i. DR with its correction term self-normalised like SNIPS:
/// bounded by the range of the residuals even when a few weights are huge.
/// </summary>
public sealed class SelfNormalizedDoublyRobust : OffPolicyEstimator
{
    /// <inheritdoc />
    public override string Name => "sndr";

    /// <inheritdoc />
    public override bool UsesRewardModel => true;

    /// <inheritdoc />
    protected internal override EstimatorTerm Term(in EvaluationSample sample)
    {
        double weight = sample.ImportanceWeight;
        return new EstimatorTerm(sample.TargetPredictedReward, weight * (sample.Reward - sample.PredictedReward), weight);
    }
}
