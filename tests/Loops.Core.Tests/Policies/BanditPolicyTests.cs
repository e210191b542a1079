using Loops.Contracts.V1;
using Loops.Core.Policies;
using static Loops.Core.Tests.Decisions;

namespace Loops.Core.Tests.Policies;

public sealed class BanditPolicyTests
{
    [Theory]
    [MemberData(nameof(PolicyHarness.Algorithms), MemberType = typeof(PolicyHarness))]
    public void Probabilities_sum_to_one_are_positive_with_a_floor_and_zero_when_excluded(BanditAlgorithm algorithm)
    {
        var policy = PolicyHarness.Create(algorithm, new ExplorationSettings { Epsilon = 0.05 });
        var random = new Random(1);
        var (context, actions) = Large(random);
        bool[] allowed = [.. Enumerable.Range(0, actions.Length).Select(a => a != 3)];
        for (int round = 0; round < 300; round++)
        {
            var (_, probabilities) = PolicyHarness.Decide(policy, context, actions, (ulong)round, allowed);

            Assert.Equal(1, probabilities.Sum(), 9);
            Assert.Equal(0, probabilities[3]);
            Assert.All(probabilities.Where((_, a) => allowed[a]), p => Assert.True(p >= 0.05 / 9 - 1e-12));
            PolicyHarness.Round(policy, context, actions, (ulong)round, chosen => chosen * random.NextDouble());
        }

        Assert.Equal(300, policy.Updates);
    }

    [Theory]
    [InlineData(BanditAlgorithm.Softmax)]
    [InlineData(BanditAlgorithm.SquareCb)]
    public void Softmax_and_squarecb_keep_every_allowed_action_possible_without_a_floor(BanditAlgorithm algorithm)
    {
        var policy = PolicyHarness.Create(algorithm, new ExplorationSettings { Epsilon = 0 });
        var random = new Random(2);
        var actions = Actions(4);
        Feature[] context = [Category("user", "segment", "a")];
        for (int round = 0; round < 500; round++)
        {
            PolicyHarness.Round(policy, context, actions, (ulong)round, chosen => chosen == 2 ? 1 : 0);
            var (_, probabilities) = PolicyHarness.Decide(policy, context, actions, (ulong)round);
            Assert.All(probabilities, p => Assert.True(p > 0));
            Assert.Equal(1, probabilities.Sum(), 9);
        }
    }

    [Theory]
    [MemberData(nameof(PolicyHarness.Algorithms), MemberType = typeof(PolicyHarness))]
    public void A_decision_replays_exactly_from_the_same_seed(BanditAlgorithm algorithm)
    {
        var policy = PolicyHarness.Create(algorithm);
        var random = new Random(3);
        var (context, actions) = Large(random);
        for (int round = 0; round < 100; round++)
        {
            PolicyHarness.Round(policy, context, actions, (ulong)round, chosen => chosen % 3);
        }

        var first = PolicyHarness.Decide(policy, context, actions, 42);
        var again = PolicyHarness.Decide(policy, context, actions, 42);

        Assert.Equal(first.Probabilities, again.Probabilities);
        Assert.Equal(first.Scores, again.Scores);
    }

    [Theory]
    [MemberData(nameof(PolicyHarness.Algorithms), MemberType = typeof(PolicyHarness))]
    public void Every_algorithm_learns_the_best_action_of_each_segment(BanditAlgorithm algorithm)
    {
        var policy = PolicyHarness.Create(algorithm, new ExplorationSettings { Epsilon = 0.1 });
        var random = new Random(4);
        var actions = Actions(3);
        int[] best = [2, 0];
        for (int round = 0; round < 3000; round++)
        {
            int segment = random.Next(2);
            PolicyHarness.Round(policy, Segment(segment), actions, (ulong)random.NextInt64(),
                chosen => random.NextDouble() < (chosen == best[segment] ? 0.7 : 0.2) ? 25 : 0);
        }

        for (int segment = 0; segment < 2; segment++)
        {
            var (scores, probabilities) = PolicyHarness.Decide(policy, Segment(segment), actions, 7);
            Assert.Equal(best[segment], Array.IndexOf(scores, scores.Max()));
            Assert.True(probabilities[best[segment]] > 0.5, $"{algorithm}: p(best) = {probabilities[best[segment]]:F3} in segment {segment}");
        }
    }

    [Fact]
    public void Epsilon_greedy_policy_matches_the_bare_model_and_explorer()
    {
        var learner = new LearnerSettings { Bits = 12 };
        var policy = PolicyHarness.Create(BanditAlgorithm.EpsilonGreedy, new ExplorationSettings { Epsilon = 0.2 }, learner);
        var model = new LinearRewardModel(learner);
        var random = new Random(5);
        var (context, actions) = Large(random);
        for (int round = 0; round < 200; round++)
        {
            int chosen = PolicyHarness.Round(policy, context, actions, (ulong)round, a => a * 0.5);
            using var features = DecisionFeatures.Encode(context, actions);
            var probabilities = new double[actions.Length];
            var scores = new double[actions.Length];
            model.Predict(features, scores);
            Exploration.EpsilonGreedy(scores, Enumerable.Repeat(true, actions.Length).ToArray(), 0.2, probabilities);
            model.Learn(features, chosen, chosen * 0.5, probabilities[chosen]);
        }

        Assert.Equal(Bandit.Scores(model, context, actions), PolicyHarness.Decide(policy, context, actions, 1).Scores);
    }

    [Fact]
    public void Epsilon_decays_with_the_events_learned()
    {
        var exploration = new ExplorationSettings { Epsilon = 0.4, EpsilonDecay = 0.5 };

        Assert.Equal(0.4, exploration.EpsilonAt(0), 12);
        Assert.Equal(0.2, exploration.EpsilonAt(3), 12);
        Assert.Equal(0.04, exploration.EpsilonAt(99), 12);
    }

    [Fact]
    public void Bagging_probabilities_are_the_share_of_votes()
    {
        var policy = PolicyHarness.Create(BanditAlgorithm.Bagging, new ExplorationSettings { Epsilon = 0 });
        var random = new Random(6);
        var actions = Actions(3);
        for (int round = 0; round < 40; round++)
        {
            PolicyHarness.Round(policy, Segment(0), actions, (ulong)round, chosen => random.NextDouble());
        }

        var (_, probabilities) = PolicyHarness.Decide(policy, Segment(0), actions, 1);

        // Three bags: every probability is a multiple of 1/3, or of 1/6 when a bag has a tie.
        Assert.All(probabilities, p => Assert.Equal(0, (p * 6) - Math.Round(p * 6), 9));
        Assert.Equal(1, probabilities.Sum(), 12);
    }

    [Fact]
    public void Untrained_linucb_prefers_the_action_with_the_most_uncertainty()
    {
        // Untrained: θ = 0 and A⁻¹ = I/λ, so the bound is α·‖x‖/√λ: the action with the largest feature vector wins.
        var policy = PolicyHarness.Create(BanditAlgorithm.LinUcb, new ExplorationSettings { Epsilon = 0 });
        var actions = new[] { Action("a", Number("offer", "size", 1)), Action("b", Number("offer", "size", 3)) };

        var (scores, probabilities) = PolicyHarness.Decide(policy, [], actions, 1);

        Assert.Equal([0.0, 0.0], scores);
        Assert.Equal([0.0, 1.0], probabilities);
    }

    [Fact]
    public void Thompson_probability_estimates_the_closed_form_for_two_actions()
    {
        // Untrained with λ = 1 and scale v: score_a ~ N(0, v²‖x_a‖²) and the scores of distinct features are
        // independent, so P(a wins) = 1/2 by symmetry when ‖x_a‖ are equal; 128 draws estimate it within ±0.15.
        var policy = PolicyHarness.Create(BanditAlgorithm.Thompson, new ExplorationSettings { Epsilon = 0, ThompsonScale = 2 });
        var actions = Actions(2);
        double total = 0;
        for (ulong seed = 0; seed < 50; seed++)
        {
            var (_, probabilities) = PolicyHarness.Decide(policy, [], actions, seed);
            Assert.Equal(1, probabilities.Sum(), 12);
            Assert.InRange(probabilities[0], 0.2, 0.8);
            total += probabilities[0];
        }

        Assert.InRange(total / 50, 0.45, 0.55);
    }

    [Fact]
    public void Changing_the_exploration_keeps_the_learned_state()
    {
        var policy = PolicyHarness.Create(BanditAlgorithm.Softmax);
        var actions = Actions(2);
        for (int round = 0; round < 50; round++)
        {
            PolicyHarness.Round(policy, Segment(0), actions, (ulong)round, chosen => chosen);
        }

        var before = PolicyHarness.Decide(policy, Segment(0), actions, 1);
        policy.Exploration = new ExplorationSettings { Epsilon = 1 };
        var after = PolicyHarness.Decide(policy, Segment(0), actions, 1);

        Assert.Equal(before.Scores, after.Scores);
        Assert.Equal([0.5, 0.5], after.Probabilities);
        Assert.Equal(50, policy.Updates);
        Assert.Throws<ArgumentException>(() => policy.Exploration = new ExplorationSettings { SquareCbGamma = -1 });
    }

    [Fact]
    public void Progressive_validation_scores_each_event_before_learning_it()
    {
        var policy = PolicyHarness.Create(BanditAlgorithm.EpsilonGreedy);
        var actions = Actions(2);
        using var features = DecisionFeatures.Encode(Segment(0), actions);

        policy.Learn(features, 0, 4, 0.5);
        var first = policy.Progress;
        policy.Learn(features, 0, 2, 0.5);

        // The first event met an untrained model (prediction 0): squared error 16.
        Assert.Equal(new ProgressiveValidation(1, 16, 4), first);
        Assert.Equal(2, policy.Progress.Events);
        Assert.Equal(3, policy.Progress.MeanReward, 12);
        Assert.True(policy.Progress.SumOfSquaredErrors < 16 + 4, "the second prediction was closer than 0");
    }

    [Fact]
    public void Learn_and_decide_reject_invalid_arguments()
    {
        var policy = PolicyHarness.Create(BanditAlgorithm.LinUcb);
        using var features = DecisionFeatures.Encode([], Actions(2));

        Assert.Throws<ArgumentOutOfRangeException>(() => policy.Learn(features, 2, 1, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => policy.Learn(features, 0, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => policy.Learn(features, 0, double.NaN, 0.5));
        Assert.Throws<ArgumentException>(() => policy.Decide(features, [true, true, true], 1, new double[2], new double[2]));
        Assert.Throws<ArgumentException>(() => policy.Decide(features, [false, false], 1, new double[2], new double[2]));
    }

    [Fact]
    public void Settings_name_the_invalid_field()
    {
        Assert.Contains("bags", Invalid(new BanditModelSettings { Bags = 0 }), StringComparison.Ordinal);
        Assert.Contains("linear_bits", Invalid(new BanditModelSettings { LinearBits = 11 }), StringComparison.Ordinal);
        Assert.Contains("ridge", Invalid(new BanditModelSettings { Ridge = 0 }), StringComparison.Ordinal);
        Assert.Contains("cb_type", Invalid(new BanditModelSettings { Algorithm = BanditAlgorithm.LinUcb, Learner = new LearnerSettings { CbType = CbType.Ips } }), StringComparison.Ordinal);
        Assert.Contains("squarecb_gamma", Assert.Throws<ArgumentException>(new ExplorationSettings { SquareCbGamma = -1 }.Validate).Message, StringComparison.Ordinal);
        Assert.Contains("epsilon_decay", Assert.Throws<ArgumentException>(new ExplorationSettings { EpsilonDecay = 2 }.Validate).Message, StringComparison.Ordinal);
        Assert.True(BanditAlgorithms.TryParse("", out var algorithm) && algorithm == BanditAlgorithm.EpsilonGreedy);
        Assert.False(BanditAlgorithms.TryParse("ucb", out _));
        Assert.Equal("thompson", BanditAlgorithms.NameOf(BanditAlgorithm.Thompson));

        static string Invalid(BanditModelSettings settings) => Assert.Throws<ArgumentException>(settings.Validate).Message;
    }

    private static Feature[] Segment(int segment) => [Category("user", "segment", $"segment-{segment}")];
}
