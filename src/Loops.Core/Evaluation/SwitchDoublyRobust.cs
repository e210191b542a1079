using System.Globalization;

namespace Loops.Core.Evaluation;

/// <summary>
/// Switch doubly robust (Wang, Agarwal &amp; Dudík, 2017, "Optimal and Adaptive Off-policy Evaluation in Contextual
/// Bandits"; the DR variant as in Open Bandit Pipeline): V̂ = (1/n) Σ [v̂(x_i) + 1[w_i ≤ τ] w_i (r_i − q̂(x_i, a_i))].
/// Events whose weight exceeds τ fall back to the direct method, trading a bias for a bounded variance. With τ = ∞
/// it is <see cref="DoublyRobust"/>; with τ = 0 it is <see cref="DirectMethod"/>.
/// </summary>
public sealed class SwitchDoublyRobust : OffPolicyEstimator
{
    /// <summary>The default threshold τ: 100.</summary>
    public const double DefaultThreshold = 100;

    /// <summary>Creates the estimator.</summary>
    /// <param name="threshold">τ, the largest importance weight whose event is corrected; at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is negative or NaN.</exception>
    public SwitchDoublyRobust(double threshold = DefaultThreshold)
    {
        if (!(threshold >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the switch threshold must be at least 0");
        }

        Threshold = threshold;
    }

    /// <summary>τ, the largest importance weight whose event is corrected.</summary>
    public double Threshold { get; }

    /// <inheritdoc />
    public override string Name => "switch-dr";

    /// <inheritdoc />
    public override bool UsesRewardModel => true;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (τ = {Threshold})");

    /// <inheritdoc />
    protected internal override EstimatorTerm Term(in EvaluationSample sample)
    {
        double weight = sample.ImportanceWeight;
        double correction = weight <= Threshold ? weight * (sample.Reward - sample.PredictedReward) : 0;
        return new EstimatorTerm(sample.TargetPredictedReward, correction, 1);
    }
}
