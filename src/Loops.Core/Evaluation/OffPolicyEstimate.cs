namespace Loops.Core.Evaluation;

/// <summary>The result of one estimator on one set of samples.</summary>
/// <param name="Estimator">The estimator's short name (<see cref="OffPolicyEstimator.Name"/>).</param>
/// <param name="Estimate">V̂, the estimated expected reward per decision of the target policy.</param>
/// <param name="StandardError">s / √n, with s the sample standard deviation of the per-event influence values.</param>
/// <param name="Lower">The lower bound of the confidence interval.</param>
/// <param name="Upper">The upper bound of the confidence interval.</param>
/// <param name="Interval">How the interval was computed.</param>
/// <param name="ConfidenceLevel">The interval's nominal coverage, for example 0.95.</param>
/// <param name="Diagnostics">Sample size, effective sample size, weights and support.</param>
public sealed record OffPolicyEstimate(
    string Estimator,
    double Estimate,
    double StandardError,
    double Lower,
    double Upper,
    IntervalMethod Interval,
    double ConfidenceLevel,
    WeightDiagnostics Diagnostics)
{
    /// <summary>Whether <paramref name="value"/> lies in the confidence interval (bounds included).</summary>
    /// <param name="value">The value.</param>
    /// <returns>True when Lower ≤ value ≤ Upper.</returns>
    public bool Contains(double value) => value >= Lower && value <= Upper;

    /// <summary>The width of the confidence interval.</summary>
    public double Width => Upper - Lower;
}
