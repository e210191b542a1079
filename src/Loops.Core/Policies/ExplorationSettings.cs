using System.Globalization;

namespace Loops.Core.Policies;

/// <summary>
/// The exploration parameters of a <see cref="BanditPolicy"/>. They shape decisions only, never the learned state,
/// so they may change while a policy runs. Immutable; each parameter applies to the algorithms its name says.
/// </summary>
/// <remarks>
/// Scores are in the reward's units (revenue, say), so softmax, SquareCB, LinUCB and Thompson sampling divide them by
/// the model's reward scale (the power of two above the largest |reward| seen) first: their parameters are then
/// unit-free and the same values work for click-through rates and for revenue.
/// </remarks>
public sealed record ExplorationSettings
{
    /// <summary>
    /// Every algorithm: the share of probability spread evenly over the allowed actions, in [0, 1]. For
    /// epsilon_greedy it is ε; for the others it is a floor mixed in as (1 − ε)·p + ε/K. Default 0.1.
    /// </summary>
    public double Epsilon { get; init; } = 0.1;

    /// <summary>
    /// Every algorithm: ε decays as ε·(1 + t)^(−EpsilonDecay), t being the events learned so far. Default 0 (none);
    /// at most 1 (0.5 halves ε every time t quadruples).
    /// </summary>
    public double EpsilonDecay { get; init; }

    /// <summary>softmax: the inverse temperature λ on scores divided by the reward scale; at least 0, default 10.</summary>
    public double SoftmaxLambda { get; init; } = 10;

    /// <summary>
    /// squarecb: the scale of γ. At t events learned, γ = SquareCbGamma·√(t + 1), applied to score gaps divided by the
    /// reward scale (Vowpal Wabbit's gamma_scale with its default exponent 0.5). At least 0, default 10.
    /// </summary>
    public double SquareCbGamma { get; init; } = 10;

    /// <summary>
    /// linucb: α, the width of the confidence bound in estimated noise standard deviations: the bound is
    /// θ·x + α·σ̂·√(xᵀA⁻¹x). At least 0, default 1.
    /// </summary>
    public double LinUcbAlpha { get; init; } = 1;

    /// <summary>
    /// thompson: the posterior scale v; the weights are drawn from N(θ, v²·σ̂²·A⁻¹), σ̂ being the estimated noise
    /// standard deviation (on rewards divided by the reward scale). At least 0, default 1.
    /// </summary>
    public double ThompsonScale { get; init; } = 1;

    /// <summary>The ε in force after <paramref name="eventsLearned"/> events, with the decay applied.</summary>
    /// <param name="eventsLearned">The events learned so far.</param>
    /// <returns>The decayed ε.</returns>
    public double EpsilonAt(long eventsLearned) =>
        EpsilonDecay == 0 ? Epsilon : Epsilon * Math.Pow(1 + (double)Math.Max(eventsLearned, 0), -EpsilonDecay);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of its range.</exception>
    public void Validate()
    {
        if (!(Epsilon >= 0 && Epsilon <= 1))
        {
            throw Invalid("epsilon must be between 0 and 1", Epsilon);
        }

        if (!(EpsilonDecay >= 0 && EpsilonDecay <= 1))
        {
            throw Invalid("algorithm_settings.epsilon_decay must be between 0 and 1", EpsilonDecay);
        }

        CheckNonNegative(SoftmaxLambda, "algorithm_settings.softmax_lambda");
        CheckNonNegative(SquareCbGamma, "algorithm_settings.squarecb_gamma");
        CheckNonNegative(LinUcbAlpha, "algorithm_settings.linucb_alpha");
        CheckNonNegative(ThompsonScale, "algorithm_settings.ts_posterior_scale");
    }

    private static void CheckNonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw Invalid($"{name} must be a finite number of at least 0", value);
        }
    }

    private static ArgumentException Invalid(string rule, double value) =>
        new($"{rule}, got {value.ToString(CultureInfo.InvariantCulture)}");
}
