namespace Loops.Core.Policies;

/// <summary>
/// A small deterministic random stream (splitmix64) for the draws a decision or an update needs: the same seed
/// always gives the same numbers, on every platform.
/// </summary>
internal struct SeededRandom(ulong seed)
{
    private const double UnitScale = 1.0 / (1UL << 53);
    private ulong state = seed;
    private double spareNormal = double.NaN;

    /// <summary>A uniform number in [0, 1).</summary>
    public double NextUnit()
    {
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return ((z ^ (z >> 31)) >> 11) * UnitScale;
    }

    /// <summary>
    /// A standard normal number (Marsaglia's polar method, which needs no sine or cosine; the second number of each
    /// pair is kept for the next call).
    /// </summary>
    public double NextNormal()
    {
        if (!double.IsNaN(spareNormal))
        {
            double spare = spareNormal;
            spareNormal = double.NaN;
            return spare;
        }

        double u, v, s;
        do
        {
            u = (2 * NextUnit()) - 1;
            v = (2 * NextUnit()) - 1;
            s = (u * u) + (v * v);
        }
        while (s >= 1 || s == 0);

        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        spareNormal = v * factor;
        return u * factor;
    }

    /// <summary>A Poisson(1) count, by inversion of its distribution function.</summary>
    public int NextPoissonOne()
    {
        double u = NextUnit();
        double term = Math.Exp(-1);
        double cumulative = term;
        int k = 0;
        while (u >= cumulative && k < 20)
        {
            k++;
            term /= k;
            cumulative += term;
        }

        return k;
    }

    /// <summary>Mixes two numbers into one seed with splitmix64's finaliser.</summary>
    public static ulong Mix(ulong a, ulong b)
    {
        ulong z = a + (b * 0x9E3779B97F4A7C15UL) + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
