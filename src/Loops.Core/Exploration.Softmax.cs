namespace Loops.Core;

/// <summary>Softmax (Boltzmann) exploration.</summary>
public static partial class Exploration
{
    /// <summary>
    /// Softmax: the allowed actions get probabilities proportional to exp(λ·score), computed as
    /// exp(λ·(score − best)) for stability; disallowed actions get 0. λ = 0 is uniform; a large λ tends to greedy.
    /// Every allowed action with a finite score gets a positive probability unless exp underflows (a gap above
    /// about 700/λ). NaN scores get 0, unless every allowed score is NaN: then the distribution is uniform.
    /// </summary>
    /// <param name="scores">The score of each action (higher is better).</param>
    /// <param name="allowed">Whether each action may be chosen.</param>
    /// <param name="lambda">The inverse temperature, finite and at least 0.</param>
    /// <param name="probabilities">Receives the probability of each action; they sum to 1.</param>
    /// <exception cref="ArgumentException">The spans differ in length, or no action is allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative or not finite.</exception>
    public static void Softmax(ReadOnlySpan<double> scores, ReadOnlySpan<bool> allowed, double lambda, Span<double> probabilities)
    {
        CheckLengths(scores, allowed, probabilities);
        if (!double.IsFinite(lambda) || lambda < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be a finite number of at least 0");
        }

        _ = CountAllowed(allowed, probabilities.Length, nameof(probabilities));
        var (best, _) = BestAllowed(scores, allowed);
        if (double.IsNaN(best) || double.IsPositiveInfinity(best))
        {
            // No usable number to weigh by (all NaN, or an infinite best): share among the best, like greedy.
            Greedy(scores, allowed, probabilities);
            return;
        }

        double total = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            double weight = allowed[i] && !double.IsNaN(scores[i]) ? Math.Exp(lambda * (scores[i] - best)) : 0;
            probabilities[i] = weight;
            total += weight;
        }

        // total ≥ 1: the best action's weight is exp(0).
        for (int i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] /= total;
        }
    }
}
