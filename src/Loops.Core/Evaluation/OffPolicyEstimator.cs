using System.Buffers;

namespace Loops.Core.Evaluation;

/// <summary>
/// An off-policy estimator: estimates the expected reward per decision of a target policy π from events logged by
/// another policy μ. Each estimator defines one per-event hook, <see cref="Term"/>; the base class turns the terms
/// into V̂ = (1/n) Σ Direct_i + Σ Weighted_i / Σ Normalizer_i, a standard error and a confidence interval.
/// </summary>
/// <remarks>
/// <para>
/// The interval is built from the influence values ψ_i = Direct_i + R + (Weighted_i − R · Normalizer_i) / N̄, where
/// R = Σ Weighted / Σ Normalizer and N̄ = (1/n) Σ Normalizer: the per-event contributions for a plain average, and the
/// delta-method linearisation of the ratio for a self-normalised estimator. Their mean is V̂; the standard error is
/// their sample standard deviation over √n.
/// </para>
/// <para>Estimators are stateless and thread-safe; one instance can serve any number of evaluations.</para>
/// <para>Conventions follow Open Bandit Pipeline (Saito et al., 2021): estimates are of the policy value, the mean reward per decision.</para>
/// </remarks>
public abstract class OffPolicyEstimator
{
    /// <summary>The short name, as the command line and reports use it (for example "ips").</summary>
    public abstract string Name { get; }

    /// <summary>Whether the estimator reads the reward model's predictions (<see cref="EvaluationSample.PredictedReward"/>, <see cref="EvaluationSample.TargetPredictedReward"/>).</summary>
    public abstract bool UsesRewardModel { get; }

    /// <summary>Estimates the target policy's value on the samples.</summary>
    /// <param name="samples">At least two logged events.</param>
    /// <param name="options">How to compute the interval; <see cref="IntervalOptions.Default"/> when null.</param>
    /// <param name="supportThreshold">The threshold of the support diagnostic.</param>
    /// <returns>The estimate with its interval and diagnostics.</returns>
    /// <exception cref="ArgumentException">Fewer than two samples, an invalid sample, or invalid options.</exception>
    public OffPolicyEstimate Estimate(
        ReadOnlySpan<EvaluationSample> samples,
        IntervalOptions? options = null,
        double supportThreshold = WeightDiagnostics.DefaultSupportThreshold)
    {
        options ??= IntervalOptions.Default;
        options.Validate();
        var diagnostics = WeightDiagnostics.Compute(samples, supportThreshold);
        if (samples.Length < 2)
        {
            throw new ArgumentException("at least 2 logged events are needed for a confidence interval", nameof(samples));
        }

        int n = samples.Length;
        var terms = ArrayPool<EstimatorTerm>.Shared.Rent(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                terms[i] = Term(samples[i]);
            }

            var span = terms.AsSpan(0, n);
            var moments = InfluenceMoments.Compute(span);
            var (lower, upper) = options.Method switch
            {
                IntervalMethod.Normal => ConfidenceInterval.NormalApproximation(moments, options.ConfidenceLevel),
                IntervalMethod.Bernstein => ConfidenceInterval.Bernstein(moments, options.ConfidenceLevel),
                _ => ConfidenceInterval.Bootstrap(span, options.ConfidenceLevel, options.BootstrapResamples, options.Seed),
            };
            return new OffPolicyEstimate(
                Name, moments.Estimate, moments.StandardError, lower, upper, options.Method, options.ConfidenceLevel, diagnostics);
        }
        finally
        {
            ArrayPool<EstimatorTerm>.Shared.Return(terms);
        }
    }

    /// <summary>The per-event hook: this estimator's contribution of one event.</summary>
    /// <param name="sample">The event.</param>
    /// <returns>Its term.</returns>
    protected internal abstract EstimatorTerm Term(in EvaluationSample sample);
}
