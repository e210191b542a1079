using Loops.Contracts.V1;
using Loops.Core.Policies;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Core.Tests.Policies;

/// <summary>Builds policies of every algorithm and runs decide/learn rounds through them.</summary>
internal static class PolicyHarness
{
    public static IEnumerable<object[]> Algorithms() =>
        Enum.GetValues<BanditAlgorithm>().Select(algorithm => new object[] { algorithm });

    public static BanditPolicy Create(BanditAlgorithm algorithm, ExplorationSettings? exploration = null, LearnerSettings? learner = null) =>
        BanditPolicy.Create(
            new BanditModelSettings { Algorithm = algorithm, Learner = learner ?? new LearnerSettings { Bits = 12 }, Bags = 3, LinearBits = 6 },
            exploration ?? new ExplorationSettings());

    /// <summary>One round: decide with the seed, sample, observe the reward, learn. Returns the chosen index.</summary>
    public static int Round(BanditPolicy policy, IReadOnlyList<Feature> context, IReadOnlyList<Action> actions, ulong seed, Func<int, double> rewardOf)
    {
        using var features = DecisionFeatures.Encode(context, actions);
        var scores = new double[actions.Count];
        var probabilities = new double[actions.Count];
        policy.Decide(features, Enumerable.Repeat(true, actions.Count).ToArray(), seed, scores, probabilities);
        int chosen = Sampling.Sample(probabilities, seed);
        policy.Learn(features, chosen, rewardOf(chosen), probabilities[chosen]);
        return chosen;
    }

    public static (double[] Scores, double[] Probabilities) Decide(
        BanditPolicy policy, IReadOnlyList<Feature> context, IReadOnlyList<Action> actions, ulong seed, bool[]? allowed = null)
    {
        using var features = DecisionFeatures.Encode(context, actions);
        var scores = new double[actions.Count];
        var probabilities = new double[actions.Count];
        policy.Decide(features, allowed ?? Enumerable.Repeat(true, actions.Count).ToArray(), seed, scores, probabilities);
        return (scores, probabilities);
    }
}
