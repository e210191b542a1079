namespace Loops.Core;

/// <summary>Exploration strategies: turn the model's scores into a probability for each action. Pure functions.</summary>
public static partial class Exploration
{
    /// <summary>
    /// Epsilon-greedy: <paramref name="epsilon"/> is spread evenly over the allowed actions, and the remaining
    /// 1 − ε is split evenly among the allowed actions tied for the best score (splitting ties keeps the choice
    /// independent of the order of the actions). Disallowed actions get 0.
    /// </summary>
    /// <param name="scores">The predicted reward of each action (higher is better). NaN scores never count as best.</param>
    /// <param name="allowed">Whether each action may be chosen.</param>
    /// <param name="epsilon">The exploration share, in [0, 1].</param>
    /// <param name="probabilities">Receives the probability of each action; they sum to 1.</param>
    /// <exception cref="ArgumentException">The spans differ in length, or no action is allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is not in [0, 1].</exception>
    public static void EpsilonGreedy(
        ReadOnlySpan<double> scores,
        ReadOnlySpan<bool> allowed,
        double epsilon,
        Span<double> probabilities)
    {
        if (allowed.Length != scores.Length || probabilities.Length != scores.Length)
        {
            throw new ArgumentException(
                $"scores ({scores.Length}), allowed ({allowed.Length}) and probabilities ({probabilities.Length}) must have the same length",
                nameof(probabilities));
        }

        if (!(epsilon >= 0 && epsilon <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be between 0 and 1");
        }

        int allowedCount = 0;
        int bestCount = 0;
        double best = double.NegativeInfinity;
        for (int i = 0; i < scores.Length; i++)
        {
            if (!allowed[i])
            {
                continue;
            }

            allowedCount++;
            double score = scores[i];
            if (score > best)
            {
                best = score;
                bestCount = 1;
            }
            else if (score == best)
            {
                bestCount++;
            }
        }

        if (allowedCount == 0)
        {
            throw new ArgumentException("no action is allowed", nameof(allowed));
        }

        // Only when every allowed score is NaN: then no score is better than another, so all are tied.
        bool allTied = bestCount == 0;
        if (allTied)
        {
            bestCount = allowedCount;
        }

        double floor = epsilon / allowedCount;
        double greedyShare = (1 - epsilon) / bestCount;
        for (int i = 0; i < scores.Length; i++)
        {
            if (!allowed[i])
            {
                probabilities[i] = 0;
            }
            else if (allTied || scores[i] == best)
            {
                probabilities[i] = floor + greedyShare;
            }
            else
            {
                probabilities[i] = floor;
            }
        }
    }
}
