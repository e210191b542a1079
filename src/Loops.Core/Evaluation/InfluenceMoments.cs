namespace Loops.Core.Evaluation;

/// <summary>The estimate and the moments of the influence values of a set of terms (see <see cref="OffPolicyEstimator"/>).</summary>
internal readonly record struct InfluenceMoments(int Count, double Estimate, double Variance, double Range)
{
    public double StandardError => Math.Sqrt(Variance / Count);

    /// <summary>V̂ = mean(Direct) + ΣWeighted / ΣNormalizer (0 when no event has a normaliser).</summary>
    public static double EstimateOf(double sumDirect, double sumWeighted, double sumNormalizer, int count) =>
        (sumDirect / count) + (sumNormalizer != 0 ? sumWeighted / sumNormalizer : 0);

    public static InfluenceMoments Compute(ReadOnlySpan<EstimatorTerm> terms)
    {
        int n = terms.Length;
        double sumDirect = 0;
        double sumWeighted = 0;
        double sumNormalizer = 0;
        foreach (ref readonly var term in terms)
        {
            sumDirect += term.Direct;
            sumWeighted += term.Weighted;
            sumNormalizer += term.Normalizer;
        }

        double estimate = EstimateOf(sumDirect, sumWeighted, sumNormalizer, n);
        double ratio = sumNormalizer != 0 ? sumWeighted / sumNormalizer : 0;
        double meanNormalizer = sumNormalizer / n;
        double sumOfSquares = 0;
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        foreach (ref readonly var term in terms)
        {
            double correction = meanNormalizer != 0 ? (term.Weighted - (ratio * term.Normalizer)) / meanNormalizer : 0;
            double influence = term.Direct + ratio + correction;
            double deviation = influence - estimate;
            sumOfSquares += deviation * deviation;
            min = Math.Min(min, influence);
            max = Math.Max(max, influence);
        }

        return new InfluenceMoments(n, estimate, sumOfSquares / (n - 1), max - min);
    }
}
