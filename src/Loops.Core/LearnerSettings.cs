using System.Globalization;

namespace Loops.Core;

/// <summary>
/// The settings of a <see cref="LinearRewardModel"/>. Immutable; the defaults suit most problems without tuning.
/// </summary>
public sealed record LearnerSettings
{
    /// <summary>The default <see cref="PowerT"/>: AdaGrad's square root.</summary>
    public const double DefaultPowerT = 0.5;

    /// <summary>The smallest supported <see cref="Bits"/>.</summary>
    public const int MinBits = 10;

    /// <summary>The largest supported <see cref="Bits"/>.</summary>
    public const int MaxBits = 24;

    /// <summary>
    /// The base learning rate of the adaptive, normalised update. Default 0.1: lower than Vowpal Wabbit's 0.5
    /// because contextual-bandit updates carry importance weights of up to 1/ε·K, and delayed feedback then makes
    /// 0.5 swing between actions (measured on the two-segment problem with a 700-event delay: 0.934 vs 0.857 mean
    /// share of best actions).
    /// Must be positive and finite.
    /// </summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>
    /// log2 of the number of weights; default 18, valid from 10 to 24. The model keeps three <see cref="float"/>
    /// arrays of 2^Bits entries (weights, AdaGrad accumulators, normalisers), so it takes 12 × 2^Bits bytes:
    /// 12 KiB at 10 bits, 3 MiB at 18 bits, 192 MiB at 24 bits.
    /// </summary>
    public int Bits { get; init; } = 18;

    /// <summary>
    /// The largest importance weight (1 / probability of the chosen action) used in an update. Default 100.
    /// Must be at least 1; capping it bounds the variance that rarely explored actions bring.
    /// </summary>
    public double MaxImportanceWeight { get; init; } = 100;

    /// <summary>
    /// L2 regularisation: every update shrinks the weights it touches by the factor (1 − LearningRate × L2).
    /// Default 0 (none). Must be at least 0 and LearningRate × L2 must stay below 1.
    /// </summary>
    public double L2 { get; init; }

    /// <summary>
    /// When true (the default), every context feature is crossed with every action feature (including the action
    /// id), so the model can learn that the best action depends on the context. When false the model is purely
    /// additive: it ranks actions the same way in every context.
    /// </summary>
    public bool Interactions { get; init; } = true;

    /// <summary>
    /// How logged events become regression targets (Vowpal Wabbit's <c>--cb_type</c>); default
    /// <see cref="CbType.Mtr"/>, the importance-weighted regression on the chosen action.
    /// </summary>
    public CbType CbType { get; init; } = CbType.Mtr;

    /// <summary>
    /// The exponent of the per-weight learning-rate decay (Vowpal Wabbit's <c>--power_t</c>): each weight's rate is
    /// divided by (its sum of squared gradients)^PowerT, and the normalised update uses the same power. Default 0.5
    /// (AdaGrad); 0 keeps the rate constant (for populations that drift); must be in [0, 1].
    /// </summary>
    public double PowerT { get; init; } = DefaultPowerT;

    /// <summary>
    /// Recency weighting for drifting populations, as a half-life in learned events; 0 (the default) means none.
    /// With a half-life h, the statistics that make the learning rate decay (the per-weight sums of squared
    /// gradients and the normalisation totals) are multiplied by 2^(−1/h) at every update, so a gradient seen h
    /// events ago counts half as much as a new one. The learning rate then settles at a level set by about the last
    /// h events instead of shrinking for ever, and the model keeps following a population that changes. The weights
    /// themselves are not shrunk: an old event's influence fades as newer updates overwrite it.
    /// </summary>
    public double ForgettingHalfLife { get; init; }

    /// <summary>The number of weights, 2^<see cref="Bits"/>.</summary>
    public int WeightCount => 1 << Bits;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of its range.</exception>
    public void Validate()
    {
        if (!double.IsFinite(LearningRate) || LearningRate <= 0)
        {
            throw Invalid("learning.learning_rate must be a positive finite number", LearningRate);
        }

        if (Bits is < MinBits or > MaxBits)
        {
            throw Invalid($"learning.bits must be between {MinBits} and {MaxBits}", Bits);
        }

        if (double.IsNaN(MaxImportanceWeight) || MaxImportanceWeight < 1)
        {
            throw Invalid("learning.max_importance_weight must be at least 1", MaxImportanceWeight);
        }

        if (!double.IsFinite(L2) || L2 < 0)
        {
            throw Invalid("learning.l2 must be a finite number of at least 0", L2);
        }

        if (LearningRate * L2 >= 1)
        {
            throw Invalid("learning.l2 times learning.learning_rate must be below 1", L2);
        }

        if (!Enum.IsDefined(CbType))
        {
            throw new ArgumentException($"learning.cb_type must be mtr, ips or dr, got {(int)CbType}");
        }

        if (!(PowerT >= 0 && PowerT <= 1))
        {
            throw Invalid("learning.power_t must be between 0 and 1", PowerT);
        }

        if (!double.IsFinite(ForgettingHalfLife) || ForgettingHalfLife < 0 || (ForgettingHalfLife > 0 && ForgettingHalfLife < 1))
        {
            throw Invalid("learning.forgetting_half_life must be 0 (no forgetting) or a finite number of events of at least 1", ForgettingHalfLife);
        }
    }

    private static ArgumentException Invalid(string rule, double value) =>
        new($"{rule}, got {value.ToString(CultureInfo.InvariantCulture)}");
}
