using MathNet.Numerics.Distributions;

namespace Loops.Simulation.Reporting;

/// <summary>A mean over seeds with its two-sided 95% Student-t interval (the mean alone when there is one seed).</summary>
internal readonly record struct Interval(double Mean, double Low, double High, int Count)
{
    public bool ExcludesZero => Low > 0 || High < 0;

    public static Interval Of(IReadOnlyList<double> values)
    {
        var n = values.Count;
        var mean = values.Average();
        if (n < 2)
        {
            return new Interval(mean, mean, mean, n);
        }

        var variance = values.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        var half = StudentT.InvCDF(0, 1, n - 1, 0.975) * Math.Sqrt(variance / n);
        return new Interval(mean, mean - half, mean + half, n);
    }
}
