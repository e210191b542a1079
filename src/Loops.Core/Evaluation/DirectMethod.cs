namespace Loops.Core.Evaluation;

/// <summary>
/// The direct method (DM): V̂ = (1/n) Σ v̂(x_i), with v̂(x) = Σ_a π(a|x) q̂(x, a). Ignores the logged rewards except
/// through the reward model: low variance, but biased exactly as much as the model is wrong. Its interval covers
/// the sampling noise of the contexts only, not the model's error.
/// </summary>
public sealed class DirectMethod : OffPolicyEstimator
{
    /// <inheritdoc />
    public override string Name => "dm";

    /// <inheritdoc />
    public override bool UsesRewardModel => true;

    /// <inheritdoc />
    protected internal override EstimatorTerm Term(in EvaluationSample sample) =>
        new(sample.TargetPredictedReward, 0, 1);
}
