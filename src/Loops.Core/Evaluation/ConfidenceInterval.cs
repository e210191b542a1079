namespace Loops.Core.Evaluation;

/// <summary>The interval methods of <see cref="IntervalMethod"/>.</summary>
internal static class ConfidenceInterval
{
    public static (double Lower, double Upper) NormalApproximation(InfluenceMoments moments, double level)
    {
        double z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - ((1 - level) / 2));
        double half = z * moments.StandardError;
        return (moments.Estimate - half, moments.Estimate + half);
    }

    public static (double Lower, double Upper) Bernstein(InfluenceMoments moments, double level)
    {
        // Maurer & Pontil (2009), Theorem 4, one side at δ/2 each: ln(2 / (δ/2)) = ln(4/δ).
        double logTerm = Math.Log(4 / (1 - level));
        int n = moments.Count;
        double half = Math.Sqrt(2 * moments.Variance * logTerm / n) + (7 * moments.Range * logTerm / (3.0 * (n - 1)));
        return (moments.Estimate - half, moments.Estimate + half);
    }

    public static (double Lower, double Upper) Bootstrap(ReadOnlySpan<EstimatorTerm> terms, double level, int resamples, int seed)
    {
        int n = terms.Length;
        var random = new Random(seed);
        var estimates = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            double sumDirect = 0;
            double sumWeighted = 0;
            double sumNormalizer = 0;
            for (int i = 0; i < n; i++)
            {
                ref readonly var term = ref terms[random.Next(n)];
                sumDirect += term.Direct;
                sumWeighted += term.Weighted;
                sumNormalizer += term.Normalizer;
            }

            estimates[b] = InfluenceMoments.EstimateOf(sumDirect, sumWeighted, sumNormalizer, n);
        }

        Array.Sort(estimates);
        double alpha = 1 - level;
        return (Quantile(estimates, alpha / 2), Quantile(estimates, 1 - (alpha / 2)));
    }

    /// <summary>The q-quantile of sorted values, interpolating linearly between order statistics.</summary>
    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        double fraction = position - below;
        return sorted[below] + (fraction * (sorted[above] - sorted[below]));
    }
}
