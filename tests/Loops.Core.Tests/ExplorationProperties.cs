using FsCheck;
using FsCheck.Xunit;

namespace Loops.Core.Tests;

public sealed class ExplorationProperties
{
    [Property(MaxTest = 500)]
    public bool Probabilities_sum_to_one(NonEmptyArray<sbyte> rawScores, int allowedBits, byte epsilonByte)
    {
        var (scores, allowed, epsilon) = Build(rawScores, allowedBits, epsilonByte);
        var probabilities = new double[scores.Length];

        Exploration.EpsilonGreedy(scores, allowed, epsilon, probabilities);

        return Math.Abs(probabilities.Sum() - 1) <= 1e-12;
    }

    [Property(MaxTest = 500)]
    public bool Allowed_actions_get_at_least_their_epsilon_share_and_disallowed_get_none(
        NonEmptyArray<sbyte> rawScores, int allowedBits, byte epsilonByte)
    {
        var (scores, allowed, epsilon) = Build(rawScores, allowedBits, epsilonByte);
        var probabilities = new double[scores.Length];

        Exploration.EpsilonGreedy(scores, allowed, epsilon, probabilities);

        double floor = epsilon / allowed.Count(a => a);
        return probabilities.Select((p, i) => allowed[i] ? p >= floor - 1e-15 : p == 0).All(ok => ok);
    }

    [Property(MaxTest = 500)]
    public bool Allowed_actions_tied_for_best_share_equally_and_beat_the_rest(
        NonEmptyArray<sbyte> rawScores, int allowedBits, byte epsilonByte)
    {
        var (scores, allowed, epsilon) = Build(rawScores, allowedBits, epsilonByte);
        var probabilities = new double[scores.Length];

        Exploration.EpsilonGreedy(scores, allowed, epsilon, probabilities);

        double best = scores.Where((_, i) => allowed[i]).Max();
        var bestProbabilities = probabilities.Where((_, i) => allowed[i] && scores[i] == best).ToArray();
        var otherProbabilities = probabilities.Where((_, i) => allowed[i] && scores[i] != best).ToArray();
        bool tiesEqual = bestProbabilities.All(p => Math.Abs(p - bestProbabilities[0]) <= 1e-15);
        bool bestNotBelowOthers = otherProbabilities.All(p => p <= bestProbabilities[0] + 1e-15);
        return tiesEqual && bestNotBelowOthers;
    }

    private static (double[] Scores, bool[] Allowed, double Epsilon) Build(
        NonEmptyArray<sbyte> rawScores, int allowedBits, byte epsilonByte)
    {
        // Few distinct values, so ties are common.
        double[] scores = rawScores.Get.Select(s => (double)(s % 4)).ToArray();
        bool[] allowed = scores.Select((_, i) => i >= 32 || ((allowedBits >> i) & 1) == 1).ToArray();
        if (!allowed.Any(a => a))
        {
            allowed[0] = true;
        }

        return (scores, allowed, epsilonByte / 255.0);
    }
}
