using System.Buffers;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;

namespace Loops.Core;

/// <summary>
/// Deterministic sampling: the draw of a decision is seeded by its event id, so a logged decision can be replayed
/// exactly (same probabilities and same seed → same action).
/// </summary>
public static class Sampling
{
    private const int StackBufferBytes = 1024;
    private const double UnitScale = 1.0 / (1UL << 53);

    /// <summary>The seed of an event: XxHash64 of the UTF-8 bytes of its id. Allocates nothing.</summary>
    /// <param name="eventId">The event id.</param>
    /// <param name="salt">Varies the seed, for example per policy, so that two policies do not draw alike.</param>
    /// <returns>The 64-bit seed.</returns>
    [SkipLocalsInit] // The buffer is written before it is read; zeroing it would cost more than the hash.
    public static ulong SeedOf(string eventId, ulong salt = 0)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        int maxBytes = Encoding.UTF8.GetMaxByteCount(eventId.Length);
        byte[]? rented = null;
        Span<byte> buffer = maxBytes <= StackBufferBytes
            ? stackalloc byte[StackBufferBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            int length = Encoding.UTF8.GetBytes(eventId, buffer);
            return XxHash64.HashToUInt64(buffer[..length], unchecked((long)salt));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Draws an index with the given probabilities, deterministically from <paramref name="seed"/>. Never returns
    /// an index whose probability is 0 (or negative, or NaN). The probabilities are normalised by their sum, so a
    /// sum that is off by rounding does not bias the draw.
    /// </summary>
    /// <param name="probabilities">The probability of each index.</param>
    /// <param name="seed">The seed, for example <see cref="SeedOf"/> of the event id.</param>
    /// <returns>The drawn index.</returns>
    /// <exception cref="ArgumentException">No probability is positive.</exception>
    public static int Sample(ReadOnlySpan<double> probabilities, ulong seed)
    {
        double total = 0;
        int lastPositive = -1;
        for (int i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] > 0)
            {
                total += probabilities[i];
                lastPositive = i;
            }
        }

        if (lastPositive < 0 || !double.IsFinite(total))
        {
            throw new ArgumentException("probabilities must contain a positive value and sum to a finite number", nameof(probabilities));
        }

        double target = UniformUnit(seed) * total;
        double cumulative = 0;
        for (int i = 0; i < lastPositive; i++)
        {
            if (probabilities[i] > 0)
            {
                cumulative += probabilities[i];
                if (target < cumulative)
                {
                    return i;
                }
            }
        }

        // Rounding can leave the target just past the last partial sum; the last positive index takes it.
        return lastPositive;
    }

    /// <summary>A uniform draw in [0, 1) from a seed: splitmix64's finaliser, then the top 53 bits.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>A number in [0, 1).</returns>
    public static double UniformUnit(ulong seed) => (SplitMix64(seed) >> 11) * UnitScale;

    private static ulong SplitMix64(ulong state)
    {
        ulong z = state + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
