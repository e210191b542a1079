using Loops.Core;

namespace Loops.Simulation.World;

/// <summary>
/// Counter-based randomness: every draw is a pure function of (seed, step, stream, index). Strategies therefore
/// meet the same players and the same luck at the same step (common random numbers, which narrows the intervals
/// of their differences), and runs on many threads stay reproducible.
/// </summary>
internal static class CounterRandom
{
    public static double Uniform(ulong seed, int step, RandomStream stream, int index = 0) =>
        Sampling.UniformUnit(Key(seed, step, stream, index));

    /// <summary>A standard normal draw (Box–Muller on two uniforms of the same key).</summary>
    public static double Normal(ulong seed, int step, RandomStream stream, int index = 0)
    {
        var key = Key(seed, step, stream, index);
        var u1 = 1 - Sampling.UniformUnit(key);
        var u2 = Sampling.UniformUnit(key ^ 0xA5A5_5A5A_C3C3_3C3CUL);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static ulong Key(ulong seed, int step, RandomStream stream, int index)
    {
        unchecked
        {
            var key = (seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)step * 0xC2B2AE3D27D4EB4FUL);
            key ^= ((ulong)stream << 48) ^ ((ulong)(uint)index * 0x165667B19E3779F9UL);
            return key;
        }
    }
}
