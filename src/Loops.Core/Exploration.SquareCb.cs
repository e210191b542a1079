namespace Loops.Core;

/// <summary>SquareCB exploration (Foster and Rakhlin's inverse-gap weighting).</summary>
public static partial class Exploration
{
    /// <summary>
    /// SquareCB: with b the best allowed action (the first one, among ties) and K the number of allowed actions,
    /// every other allowed action a gets 1 / (K + γ·(score(b) − score(a))), and b gets the rest. Every allowed action
    /// with a finite score gets a positive probability; γ = 0 is uniform, and a larger γ concentrates on b. Actions
    /// with NaN scores get 0, unless every allowed score is NaN (then the distribution is uniform).
    /// </summary>
    /// <param name="scores">The score of each action (higher is better), in the units γ is meant for.</param>
    /// <param name="allowed">Whether each action may be chosen.</param>
    /// <param name="gamma">The exploitation strength γ, finite and at least 0.</param>
    /// <param name="probabilities">Receives the probability of each action; they sum to 1.</param>
    /// <exception cref="ArgumentException">The spans differ in length, or no action is allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> is negative or not finite.</exception>
    public static void SquareCb(ReadOnlySpan<double> scores, ReadOnlySpan<bool> allowed, double gamma, Span<double> probabilities)
    {
        CheckLengths(scores, allowed, probabilities);
        if (!double.IsFinite(gamma) || gamma < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be a finite number of at least 0");
        }

        int allowedCount = CountAllowed(allowed, probabilities.Length, nameof(probabilities));
        var (best, bestIndex) = BestAllowed(scores, allowed);
        if (double.IsNaN(best) || double.IsPositiveInfinity(best))
        {
            Greedy(scores, allowed, probabilities);
            return;
        }

        double others = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            double probability = 0;
            if (allowed[i] && i != bestIndex && !double.IsNaN(scores[i]))
            {
                probability = 1 / (allowedCount + (gamma * (best - scores[i])));
            }

            probabilities[i] = probability;
            others += probability;
        }

        // others ≤ (K − 1)/K, so the best action keeps at least 1/K.
        probabilities[bestIndex] = 1 - others;
    }
}
