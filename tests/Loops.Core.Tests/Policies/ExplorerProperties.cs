using FsCheck;
using FsCheck.Xunit;

namespace Loops.Core.Tests.Policies;

public sealed class ExplorerProperties
{
    [Property(MaxTest = 300)]
    public bool Softmax_sums_to_one_and_is_positive_on_allowed_actions(NonEmptyArray<sbyte> rawScores, int allowedBits, byte lambdaByte)
    {
        var (scores, allowed) = Build(rawScores, allowedBits);
        var probabilities = new double[scores.Length];

        Exploration.Softmax(scores, allowed, lambdaByte / 16.0, probabilities);

        return Math.Abs(probabilities.Sum() - 1) <= 1e-9
            && probabilities.Select((p, i) => allowed[i] ? p > 0 : p == 0).All(ok => ok);
    }

    [Property(MaxTest = 300)]
    public bool SquareCb_sums_to_one_and_is_positive_on_allowed_actions(NonEmptyArray<sbyte> rawScores, int allowedBits, byte gammaByte)
    {
        var (scores, allowed) = Build(rawScores, allowedBits);
        var probabilities = new double[scores.Length];

        Exploration.SquareCb(scores, allowed, gammaByte, probabilities);

        return Math.Abs(probabilities.Sum() - 1) <= 1e-9
            && probabilities.Select((p, i) => allowed[i] ? p > 0 : p == 0).All(ok => ok);
    }

    private static (double[] Scores, bool[] Allowed) Build(NonEmptyArray<sbyte> rawScores, int allowedBits)
    {
        double[] scores = rawScores.Get.Select(s => s / 32.0).ToArray();
        bool[] allowed = scores.Select((_, i) => i >= 32 || ((allowedBits >> i) & 1) == 1).ToArray();
        if (!allowed.Any(a => a))
        {
            allowed[0] = true;
        }

        return (scores, allowed);
    }
}
