using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Core.Tests;

/// <summary>Runs simulated decisions through the full decide/learn loop.</summary>
internal static class Bandit
{
    /// <summary>One ε-greedy round: predict, explore, sample, observe the reward, learn. Returns the chosen index.</summary>
    public static int Round(
        LinearRewardModel model, IReadOnlyList<Feature> context, IReadOnlyList<Action> actions, double epsilon,
        Random random, Func<int, double> rewardOf)
    {
        using var features = DecisionFeatures.Encode(context, actions);
        var scores = new double[actions.Count];
        var probabilities = new double[actions.Count];
        var allowed = Enumerable.Repeat(true, actions.Count).ToArray();
        model.Predict(features, scores);
        Exploration.EpsilonGreedy(scores, allowed, epsilon, probabilities);
        int chosen = Sampling.Sample(probabilities, (ulong)random.NextInt64());
        model.Learn(features, chosen, rewardOf(chosen), probabilities[chosen]);
        return chosen;
    }

    public static double[] Scores(LinearRewardModel model, IReadOnlyList<Feature> context, IReadOnlyList<Action> actions)
    {
        using var features = DecisionFeatures.Encode(context, actions);
        var scores = new double[actions.Count];
        model.Predict(features, scores);
        return scores;
    }

    public static int Greedy(LinearRewardModel model, IReadOnlyList<Feature> context, IReadOnlyList<Action> actions)
    {
        var scores = Scores(model, context, actions);
        return Array.IndexOf(scores, scores.Max());
    }
}
