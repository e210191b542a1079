namespace Loops.Core;

/// <summary>Shared pieces of the explorers: the uniform floor, the greedy split, argument checks.</summary>
public static partial class Exploration
{
    /// <summary>
    /// Mixes a distribution with the uniform one over the allowed actions: p ← (1 − ε)·p + ε/K, where K is the number
    /// of allowed actions. Every allowed action then has at least ε/K; the sum stays 1; disallowed actions stay 0.
    /// </summary>
    /// <param name="allowed">Whether each action may be chosen.</param>
    /// <param name="epsilon">The uniform share, in [0, 1].</param>
    /// <param name="probabilities">A distribution over the allowed actions, mixed in place.</param>
    /// <exception cref="ArgumentException">The spans differ in length, or no action is allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is not in [0, 1].</exception>
    public static void MixUniform(ReadOnlySpan<bool> allowed, double epsilon, Span<double> probabilities)
    {
        CheckEpsilon(epsilon);
        int allowedCount = CountAllowed(allowed, probabilities.Length, nameof(probabilities));
        if (epsilon == 0)
        {
            return;
        }

        double floor = epsilon / allowedCount;
        for (int i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] = allowed[i] ? ((1 - epsilon) * probabilities[i]) + floor : 0;
        }
    }

    /// <summary>
    /// The greedy distribution: the allowed actions tied for the best score share 1 evenly (so the result does not
    /// depend on the order of the actions); every other action gets 0. NaN scores never count as best unless all are.
    /// </summary>
    /// <param name="scores">The score of each action (higher is better).</param>
    /// <param name="allowed">Whether each action may be chosen.</param>
    /// <param name="probabilities">Receives the distribution.</param>
    /// <exception cref="ArgumentException">The spans differ in length, or no action is allowed.</exception>
    public static void Greedy(ReadOnlySpan<double> scores, ReadOnlySpan<bool> allowed, Span<double> probabilities) =>
        EpsilonGreedy(scores, allowed, 0, probabilities);

    private static int CountAllowed(ReadOnlySpan<bool> allowed, int length, string parameter)
    {
        if (allowed.Length != length)
        {
            throw new ArgumentException($"allowed ({allowed.Length}) and {parameter} ({length}) must have the same length", parameter);
        }

        int count = 0;
        foreach (bool ok in allowed)
        {
            count += ok ? 1 : 0;
        }

        return count > 0 ? count : throw new ArgumentException("no action is allowed", nameof(allowed));
    }

    private static void CheckLengths(ReadOnlySpan<double> scores, ReadOnlySpan<bool> allowed, Span<double> probabilities)
    {
        if (allowed.Length != scores.Length || probabilities.Length != scores.Length)
        {
            throw new ArgumentException(
                $"scores ({scores.Length}), allowed ({allowed.Length}) and probabilities ({probabilities.Length}) must have the same length",
                nameof(probabilities));
        }
    }

    private static void CheckEpsilon(double epsilon)
    {
        if (!(epsilon >= 0 && epsilon <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be between 0 and 1");
        }
    }

    // The best allowed score and the first allowed action that has it; NaN scores lose to any number.
    private static (double Best, int Index) BestAllowed(ReadOnlySpan<double> scores, ReadOnlySpan<bool> allowed)
    {
        double best = double.NegativeInfinity;
        int index = -1;
        for (int i = 0; i < scores.Length; i++)
        {
            if (allowed[i] && (index < 0 || scores[i] > best || (double.IsNaN(best) && !double.IsNaN(scores[i]))))
            {
                best = scores[i];
                index = i;
            }
        }

        return (best, index);
    }
}
