using Loops.Core.Evaluation;

namespace Loops.Evaluation.Tests;

/// <summary>
/// Five events whose estimates are worked out by hand below (weights w = π/μ = 0.5, 2, 2, 0.5, 2; Σw = 7).
/// </summary>
public sealed class HandComputedExampleTests
{
    private const double Tolerance = 1e-12;

    // z for a two-sided 95% normal interval.
    private const double Z95 = 1.959963984540054;

    //                     μ     π    r   q̂(a_i)  v̂(x_i)
    private static readonly EvaluationSample[] Samples =
    [
        new(0.50, 0.25, 1, 0.50, 0.6),
        new(0.25, 0.50, 0, 0.25, 0.3),
        new(0.20, 0.40, 1, 0.25, 0.4),
        new(0.80, 0.40, 1, 0.75, 0.7),
        new(0.50, 1.00, 0, 0.25, 0.2),
    ];

    [Fact]
    public void Ips_is_the_mean_of_weighted_rewards()
    {
        // w·r = 0.5, 0, 2, 0.5, 0 → mean 0.6; squared deviations 0.01 + 0.36 + 1.96 + 0.01 + 0.36 = 2.7, s² = 0.675.
        var estimate = OffPolicyEstimators.Ips.Estimate(Samples);
        Assert.Equal(0.6, estimate.Estimate, Tolerance);
        Assert.Equal(Math.Sqrt(0.675 / 5), estimate.StandardError, Tolerance);
        Assert.Equal(0.6 - (Z95 * Math.Sqrt(0.135)), estimate.Lower, Tolerance);
        Assert.Equal(0.6 + (Z95 * Math.Sqrt(0.135)), estimate.Upper, Tolerance);
    }

    [Fact]
    public void Snips_divides_by_the_sum_of_weights_and_uses_the_delta_method()
    {
        // 3 / 7; influence (w_i (r_i − 3/7)) / (7/5) = 10/49, −30/49, 40/49, 10/49, −30/49 → s² = 3600 / 2401 / 4.
        var estimate = OffPolicyEstimators.Snips.Estimate(Samples);
        Assert.Equal(3.0 / 7, estimate.Estimate, Tolerance);
        Assert.Equal(30.0 / 49 / Math.Sqrt(5), estimate.StandardError, Tolerance);
    }

    [Fact]
    public void Dm_is_the_mean_model_value()
    {
        // v̂ = 0.6, 0.3, 0.4, 0.7, 0.2 → 0.44; squared deviations sum to 0.172, s² = 0.043.
        var estimate = OffPolicyEstimators.Dm.Estimate(Samples);
        Assert.Equal(0.44, estimate.Estimate, Tolerance);
        Assert.Equal(Math.Sqrt(0.043 / 5), estimate.StandardError, Tolerance);
    }

    [Fact]
    public void Dr_adds_the_weighted_residual()
    {
        // w (r − q̂) = 0.25, −0.5, 1.5, 0.125, −0.5; terms v̂ + that = 0.85, −0.2, 1.9, 0.825, −0.3 → 3.075 / 5 = 0.615.
        var estimate = OffPolicyEstimators.Dr.Estimate(Samples);
        Assert.Equal(0.615, estimate.Estimate, Tolerance);
        Assert.Equal(SampleStandardDeviation(0.85, -0.2, 1.9, 0.825, -0.3) / Math.Sqrt(5), estimate.StandardError, Tolerance);
    }

    [Fact]
    public void Sndr_self_normalises_the_residual_term()
    {
        // 0.44 + 0.875 / 7.
        var estimate = OffPolicyEstimators.Sndr.Estimate(Samples);
        Assert.Equal(0.44 + 0.125, estimate.Estimate, Tolerance);
    }

    [Fact]
    public void Switch_dr_corrects_only_events_whose_weight_is_at_most_the_threshold()
    {
        // τ = 1 keeps the residuals of events 1 and 4: (0.25 + 0.125) / 5 = 0.075.
        Assert.Equal(0.44 + 0.075, new SwitchDoublyRobust(1).Estimate(Samples).Estimate, Tolerance);
        Assert.Equal(0.615, new SwitchDoublyRobust(2).Estimate(Samples).Estimate, Tolerance);
        Assert.Equal(0.44, new SwitchDoublyRobust(0).Estimate(Samples).Estimate, Tolerance);
    }

    [Fact]
    public void Bernstein_interval_adds_the_range_term()
    {
        // IPS influence values range over [0, 2]; ln(4 / 0.05) = ln 80.
        var estimate = OffPolicyEstimators.Ips.Estimate(Samples, new IntervalOptions { Method = IntervalMethod.Bernstein });
        double half = Math.Sqrt(2 * 0.675 * Math.Log(80) / 5) + (7 * 2 * Math.Log(80) / (3.0 * 4));
        Assert.Equal(0.6 - half, estimate.Lower, Tolerance);
        Assert.Equal(0.6 + half, estimate.Upper, Tolerance);
    }

    [Fact]
    public void Bootstrap_interval_is_reproducible_from_its_seed()
    {
        var options = new IntervalOptions { Method = IntervalMethod.Bootstrap, Seed = 7 };
        var first = OffPolicyEstimators.Dr.Estimate(Samples, options);
        var second = OffPolicyEstimators.Dr.Estimate(Samples, options);
        var other = OffPolicyEstimators.Dr.Estimate(Samples, options with { Seed = 8 });
        Assert.Equal((first.Lower, first.Upper), (second.Lower, second.Upper));
        Assert.NotEqual((first.Lower, first.Upper), (other.Lower, other.Upper));
        Assert.InRange(first.Estimate, first.Lower, first.Upper);
        Assert.InRange(first.Lower, -0.3, 1.9);
        Assert.InRange(first.Upper, -0.3, 1.9);
    }

    [Fact]
    public void Diagnostics_report_effective_sample_size_and_weights()
    {
        // (Σw)² / Σw² = 49 / 12.5.
        var diagnostics = OffPolicyEstimators.Ips.Estimate(Samples).Diagnostics;
        Assert.Equal(5, diagnostics.Count);
        Assert.Equal(3.92, diagnostics.EffectiveSampleSize, Tolerance);
        Assert.Equal(1.4, diagnostics.MeanWeight, Tolerance);
        Assert.Equal(2, diagnostics.MaxWeight);
        Assert.Equal(0, diagnostics.LowSupportShare);
        Assert.Equal(SupportSource.ImportanceWeights, diagnostics.SupportSource);
    }

    [Fact]
    public void Samples_built_from_distributions_carry_the_model_value_and_the_low_support_mass()
    {
        var sample = EvaluationSample.FromDistributions(
            loggedAction: 0, loggingProbability: 0.9995, reward: 1, target: [0.2, 0.8], predicted: [1, 3], logging: [0.9995, 0.0005]);
        Assert.Equal(0.2, sample.TargetProbability);
        Assert.Equal(1, sample.PredictedReward);
        Assert.Equal(2.6, sample.TargetPredictedReward, Tolerance);
        Assert.Equal(0.8, sample.LowSupportTargetMass, Tolerance);

        var diagnostics = WeightDiagnostics.Compute([sample, sample]);
        Assert.Equal(SupportSource.LoggedDistributions, diagnostics.SupportSource);
        Assert.Equal(0.8, diagnostics.LowSupportShare, Tolerance);
    }

    [Fact]
    public void Invalid_samples_are_rejected_with_their_index()
    {
        EvaluationSample[] samples = [new(0.5, 0.5, 1), new(0, 0.5, 1)];
        var exception = Assert.Throws<ArgumentException>(() => OffPolicyEstimators.Ips.Estimate(samples));
        Assert.Contains("samples[1]", exception.Message, StringComparison.Ordinal);
    }

    private static double SampleStandardDeviation(params double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}
