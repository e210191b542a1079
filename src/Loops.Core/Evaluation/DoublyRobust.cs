namespace Loops.Core.Evaluation;

/// <summary>
/// Doubly robust (DR; Dudík, Langford &amp; Li, 2011, "Doubly Robust Policy Evaluation and Learning"):
/// V̂ = (1/n) Σ [v̂(x_i) + w_i (r_i − q̂(x_i, a_i))]. The direct method corrected by the importance-weighted residual
/// of the reward model: unbiased when the propensities are right (whatever the model), and with a smaller variance
/// than IPS when the model is good. Fit q̂ on other events than those it is evaluated on (cross-fitting).
/// </summary>
public sealed class DoublyRobust : OffPolicyEstimator
{
    /// <inheritdoc />
    public override string Name => "dr";

    /// <inheritdoc />
    public override bool UsesRewardModel => true;

    /// <inheritdoc />
    protected internal override EstimatorTerm Term(in EvaluationSample sample) =>
        new(sample.TargetPredictedReward, sample.ImportanceWeight * (sample.Reward - sample.PredictedReward), 1);
}
