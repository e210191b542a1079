namespace Loops.Core.Evaluation;

/// <summary>
/// How well the logged data covers the target policy, from the importance weights w_i = π(a_i|x_i) / μ(a_i|x_i).
/// The same for every estimator run on the same samples.
/// </summary>
/// <param name="Count">n, the number of events.</param>
/// <param name="EffectiveSampleSize">
/// (Σ w_i)² / Σ w_i² (Kish's effective sample size): n when every weight is equal, close to 1 when one event carries
/// all the weight; 0 when every weight is 0.
/// </param>
/// <param name="MeanWeight">(1/n) Σ w_i; its expectation is 1 when the logger covers the target (a value far from 1 signals missing support or wrong propensities).</param>
/// <param name="MaxWeight">max_i w_i.</param>
/// <param name="LowSupportShare">
/// The share of the target's probability mass on actions the logger played with probability below
/// <paramref name="SupportThreshold"/>, averaged over events: where the estimates rest on little or no data.
/// </param>
/// <param name="SupportSource">Whether <paramref name="LowSupportShare"/> is exact or estimated.</param>
/// <param name="SupportThreshold">The threshold on logged probabilities (default <see cref="DefaultSupportThreshold"/>).</param>
public sealed record WeightDiagnostics(
    int Count,
    double EffectiveSampleSize,
    double MeanWeight,
    double MaxWeight,
    double LowSupportShare,
    SupportSource SupportSource,
    double SupportThreshold)
{
    /// <summary>The default threshold below which a logged probability counts as no support: 1e-3.</summary>
    public const double DefaultSupportThreshold = 1e-3;

    /// <summary>Computes the diagnostics of a set of samples. Allocation-free.</summary>
    /// <param name="samples">The samples.</param>
    /// <param name="supportThreshold">The threshold on logged probabilities.</param>
    /// <returns>The diagnostics.</returns>
    /// <exception cref="ArgumentException">There are no samples, or a sample is invalid.</exception>
    public static WeightDiagnostics Compute(ReadOnlySpan<EvaluationSample> samples, double supportThreshold = DefaultSupportThreshold)
    {
        SampleValidation.Check(samples);
        double sum = 0;
        double sumOfSquares = 0;
        double max = 0;
        double lowSupportExact = 0;
        double lowSupportWeighted = 0;
        bool exact = true;
        foreach (ref readonly var sample in samples)
        {
            double weight = sample.ImportanceWeight;
            sum += weight;
            sumOfSquares += weight * weight;
            max = Math.Max(max, weight);
            if (sample.LoggingProbability < supportThreshold)
            {
                lowSupportWeighted += weight;
            }

            if (double.IsNaN(sample.LowSupportTargetMass))
            {
                exact = false;
            }
            else
            {
                lowSupportExact += sample.LowSupportTargetMass;
            }
        }

        int n = samples.Length;
        return new WeightDiagnostics(
            n,
            sumOfSquares > 0 ? sum * sum / sumOfSquares : 0,
            sum / n,
            max,
            exact ? lowSupportExact / n : (sum > 0 ? lowSupportWeighted / sum : 0),
            exact ? SupportSource.LoggedDistributions : SupportSource.ImportanceWeights,
            supportThreshold);
    }
}
