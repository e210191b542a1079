using Loops.Core.Policies;
using static Loops.Core.Tests.Decisions;

namespace Loops.Core.Tests.Policies;

public sealed class BanditPolicyPersistenceTests
{
    [Theory]
    [MemberData(nameof(PolicyHarness.Algorithms), MemberType = typeof(PolicyHarness))]
    public void A_read_policy_decides_and_learns_exactly_like_the_written_one(BanditAlgorithm algorithm)
    {
        var policy = PolicyHarness.Create(
            algorithm,
            new ExplorationSettings { Epsilon = 0.07, SoftmaxLambda = 3, LinUcbAlpha = 0.5 },
            new LearnerSettings { Bits = 12, CbType = algorithm == BanditAlgorithm.Softmax ? CbType.Dr : CbType.Mtr });
        var random = new Random(1);
        var (context, actions) = Large(random);
        for (int round = 0; round < 100; round++)
        {
            PolicyHarness.Round(policy, context, actions, (ulong)round, chosen => chosen * 3.5);
        }

        var copy = RoundTrip(policy);

        Assert.Equal(policy.Settings, copy.Settings);
        Assert.Equal(policy.Exploration, copy.Exploration);
        Assert.Equal(policy.Progress, copy.Progress);
        Assert.Equal(policy.Updates, copy.Updates);
        Assert.Equal(PolicyHarness.Decide(policy, context, actions, 9), PolicyHarness.Decide(copy, context, actions, 9), Same);
        PolicyHarness.Round(policy, context, actions, 5, chosen => 10);
        PolicyHarness.Round(copy, context, actions, 5, chosen => 10);
        Assert.Equal(PolicyHarness.Decide(policy, context, actions, 9), PolicyHarness.Decide(copy, context, actions, 9), Same);
    }

    [Fact]
    public void A_bare_linear_reward_model_file_reads_as_an_epsilon_greedy_policy()
    {
        var model = new LinearRewardModel(new LearnerSettings { Bits = 12 });
        var (context, actions) = Large(new Random(2));
        for (int round = 0; round < 50; round++)
        {
            Bandit.Round(model, context, actions, 0.2, new Random(round), chosen => chosen);
        }

        using var stream = new MemoryStream();
        model.WriteTo(stream);
        stream.Position = 0;
        var policy = BanditPolicy.ReadFrom(stream);

        Assert.Equal(BanditAlgorithm.EpsilonGreedy, policy.Algorithm);
        Assert.Equal(model.Settings, policy.Settings.Learner);
        Assert.Equal(50, policy.Updates);
        Assert.Equal(Bandit.Scores(model, context, actions), PolicyHarness.Decide(policy, context, actions, 1).Scores);
    }

    [Fact]
    public void A_clone_learns_independently()
    {
        var policy = PolicyHarness.Create(BanditAlgorithm.Thompson);
        var actions = Actions(3);
        for (int round = 0; round < 30; round++)
        {
            PolicyHarness.Round(policy, [], actions, (ulong)round, chosen => chosen);
        }

        var clone = policy.Clone();
        var before = PolicyHarness.Decide(policy, [], actions, 1).Scores;
        for (int round = 0; round < 30; round++)
        {
            PolicyHarness.Round(clone, [], actions, (ulong)round, chosen => -chosen);
        }

        Assert.Equal(before, PolicyHarness.Decide(policy, [], actions, 1).Scores);
        Assert.NotEqual(before, PolicyHarness.Decide(clone, [], actions, 1).Scores);
        Assert.Equal(30, policy.Progress.Events);
        Assert.Equal(60, clone.Progress.Events);
    }

    [Theory]
    [InlineData(BanditAlgorithm.Bagging)]
    [InlineData(BanditAlgorithm.LinUcb)]
    public void Corrupt_or_truncated_streams_throw_invalid_data(BanditAlgorithm algorithm)
    {
        var policy = PolicyHarness.Create(algorithm);
        PolicyHarness.Round(policy, [Number("user", "x", 2)], Actions(2), 1, chosen => 1);
        using var buffer = new MemoryStream();
        policy.WriteTo(buffer);
        var bytes = buffer.ToArray();

        foreach (int position in new[] { 0, 12, 100, bytes.Length / 2, bytes.Length - 1 })
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[position] ^= 0x5A;
            Assert.Throws<InvalidDataException>(() => BanditPolicy.ReadFrom(new MemoryStream(corrupt)));
        }

        foreach (int length in new[] { 0, 8, 100, bytes.Length - 1 })
        {
            Assert.Throws<InvalidDataException>(() => BanditPolicy.ReadFrom(new MemoryStream(bytes, 0, length)));
        }
    }

    private static readonly IEqualityComparer<(double[] Scores, double[] Probabilities)> Same =
        EqualityComparer<(double[] Scores, double[] Probabilities)>.Create(
            (a, b) => a.Scores.SequenceEqual(b.Scores) && a.Probabilities.SequenceEqual(b.Probabilities));

    private static BanditPolicy RoundTrip(BanditPolicy policy)
    {
        using var stream = new MemoryStream();
        policy.WriteTo(stream);
        stream.Position = 0;
        var copy = BanditPolicy.ReadFrom(stream);
        Assert.Equal(stream.Length, stream.Position);
        return copy;
    }
}
