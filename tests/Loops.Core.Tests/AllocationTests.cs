using Loops.Core.Policies;
using static Loops.Core.Tests.Decisions;

namespace Loops.Core.Tests;

[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTestsCollection;

// Alone in a non-parallel collection, so no other test borrows the pooled instances while it measures.
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_decide_and_learn_loop_allocates_nothing_in_steady_state(bool interactions)
    {
        var model = new LinearRewardModel(new LearnerSettings { Interactions = interactions });
        var (context, actions) = Large(new Random(2));
        var scores = new double[actions.Length];
        var probabilities = new double[actions.Length];
        var allowed = Enumerable.Repeat(true, actions.Length).ToArray();
        void DecideAndLearn(int round)
        {
            using var features = DecisionFeatures.Encode(context, actions);
            model.Predict(features, scores);
            Exploration.EpsilonGreedy(scores, allowed, 0.1, probabilities);
            int chosen = Sampling.Sample(probabilities, Sampling.SeedOf("an-event-id-of-typical-length-0123456789"));
            model.Learn(features, chosen, round % 3, probabilities[chosen]);
        }

        for (int round = 0; round < 100; round++)
        {
            DecideAndLearn(round);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 1000; round++)
        {
            DecideAndLearn(round);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    public static IEnumerable<object[]> Algorithms() =>
        Enum.GetValues<BanditAlgorithm>().SelectMany(algorithm => new[] { new object[] { algorithm, true }, [algorithm, false] });

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Every_policy_decides_and_learns_without_allocating_in_steady_state(BanditAlgorithm algorithm, bool interactions)
    {
        // IPS for the regression algorithms: its per-action updates are the most work per event.
        var cbType = algorithm is BanditAlgorithm.LinUcb or BanditAlgorithm.Thompson ? CbType.Mtr : CbType.Ips;
        var policy = BanditPolicy.Create(
            new BanditModelSettings { Algorithm = algorithm, Bags = 2, Learner = new LearnerSettings { Bits = 14, Interactions = interactions, CbType = cbType } },
            new ExplorationSettings { Epsilon = 0.05 });
        var (context, actions) = Large(new Random(3));
        var scores = new double[actions.Length];
        var probabilities = new double[actions.Length];
        var allowed = Enumerable.Repeat(true, actions.Length).ToArray();
        void DecideAndLearn(int round)
        {
            using var features = DecisionFeatures.Encode(context, actions);
            ulong seed = Sampling.SeedOf("an-event-id-of-typical-length-0123456789");
            policy.Decide(features, allowed, seed, scores, probabilities);
            int chosen = Sampling.Sample(probabilities, seed);
            policy.Learn(features, chosen, round % 3, probabilities[chosen]);
        }

        for (int round = 0; round < 50; round++)
        {
            DecideAndLearn(round);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 200; round++)
        {
            DecideAndLearn(round);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
