using Loops.Contracts.V1;
using static Loops.Core.Tests.Decisions;

namespace Loops.Core.Tests;

public sealed class LinearRewardModelLearningTests
{
    private static readonly string[] Segments = ["casual", "whale"];

    // The best action of each segment: action 2 for casual players, action 0 for whales.
    private static readonly int[] BestActionOfSegment = [2, 0];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Learns_the_best_action_of_each_segment_from_clicks(int seed)
    {
        var model = new LinearRewardModel(new LearnerSettings());

        RunSegmentProblem(model, new Random(seed), rounds: 3000, rewardOfClick: _ => 1);

        for (int segment = 0; segment < Segments.Length; segment++)
        {
            Assert.Equal(BestActionOfSegment[segment], Bandit.Greedy(model, SegmentContext(segment), Actions(3)));
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.0 / 500)]
    public void Learns_revenue_scale_rewards_without_scaling(double currency)
    {
        // A purchase of 100..500 (mean 300) happens with probability 0.7 for the best action and 0.2 for the others;
        // the same problem is also run in a currency 500 times larger, where rewards are 0.2..1.
        // Exploration noise (importance weights up to 30) makes single runs vary, so judge ten seeds together.
        const int Seeds = 10;
        int correctRuns = 0;
        double relativeErrorSum = 0;
        for (int seed = 1; seed <= Seeds; seed++)
        {
            var model = new LinearRewardModel(new LearnerSettings());
            RunSegmentProblem(model, new Random(seed), rounds: 5000, rewardOfClick: random => currency * (100 + (400 * random.NextDouble())));

            bool correct = true;
            for (int segment = 0; segment < Segments.Length; segment++)
            {
                var scores = Bandit.Scores(model, SegmentContext(segment), Actions(3));
                int best = BestActionOfSegment[segment];
                correct &= Array.IndexOf(scores, scores.Max()) == best;
                double expected = 0.7 * 300 * currency;
                relativeErrorSum += Math.Abs(scores[best] - expected) / expected;
            }

            correctRuns += correct ? 1 : 0;
        }

        Assert.True(correctRuns >= 9, $"{correctRuns} of {Seeds} runs found the best action of both segments");
        Assert.True(relativeErrorSum / (2 * Seeds) < 0.25, $"mean relative error of the best action's prediction {relativeErrorSum / (2 * Seeds):F3}");
    }

    [Fact]
    public void The_reward_scale_is_the_power_of_two_above_the_largest_reward()
    {
        var model = new LinearRewardModel(new LearnerSettings { Bits = 10 });
        using var features = DecisionFeatures.Encode([Category("user", "segment", "casual")], Actions(2));

        model.Learn(features, 0, 0, 0.5);
        Assert.Equal(0, model.RewardScale);
        model.Learn(features, 0, 3, 0.5);
        Assert.Equal(4, model.RewardScale);
        model.Learn(features, 1, -300, 0.5);
        Assert.Equal(512, model.RewardScale);
        model.Learn(features, 1, 0.01, 0.5);
        Assert.Equal(512, model.RewardScale);
    }

    [Fact]
    public void Growing_the_reward_scale_keeps_predictions()
    {
        var model = new LinearRewardModel(new LearnerSettings { Bits = 12 });
        var random = new Random(4);
        var actions = Actions(3);
        for (int round = 0; round < 100; round++)
        {
            Bandit.Round(model, SegmentContext(round % 2), actions, 0.3, random, chosen => chosen * 0.5);
        }

        var before = Bandit.Scores(model, SegmentContext(0), actions);

        model.GrowRewardScale(1000);

        Assert.Equal(1024, model.RewardScale);
        var after = Bandit.Scores(model, SegmentContext(0), actions);
        for (int action = 0; action < actions.Length; action++)
        {
            Assert.Equal(before[action], after[action], 12);
        }
    }

    [Fact]
    public void Learns_a_feature_scaled_by_1000_as_well_as_the_unscaled_one()
    {
        var plain = TrainOnLinearProblem(xScale: 1, seed: 7);
        var scaled = TrainOnLinearProblem(xScale: 1000, seed: 7);

        Assert.True(plain.Accuracy >= 0.9, $"unscaled accuracy {plain.Accuracy:F3}");
        Assert.True(scaled.Accuracy >= 0.9, $"scaled accuracy {scaled.Accuracy:F3}");
        Assert.InRange(scaled.Accuracy - plain.Accuracy, -0.03, 0.03);
        Assert.InRange(scaled.MeanSquaredError, 0, Math.Max(2 * plain.MeanSquaredError, 0.005));
    }

    [Fact]
    public void Without_interactions_the_model_learns_one_ranking_for_every_context()
    {
        var model = new LinearRewardModel(new LearnerSettings { Interactions = false });
        var random = new Random(5);
        var actions = Actions(3);

        for (int round = 0; round < 2000; round++)
        {
            var context = SegmentContext(random.Next(2));
            Bandit.Round(model, context, actions, 0.2, random, chosen => random.NextDouble() < (chosen == 1 ? 0.6 : 0.3) ? 1 : 0);
        }

        Assert.Equal(1, Bandit.Greedy(model, SegmentContext(0), actions));
        Assert.Equal(1, Bandit.Greedy(model, SegmentContext(1), actions));
    }

    [Fact]
    public void A_huge_importance_weight_never_overshoots_the_reward()
    {
        var model = new LinearRewardModel(new LearnerSettings { MaxImportanceWeight = 1000 });
        Feature[] context = [Number("user", "spend", 250), Category("user", "country", "FR")];
        var actions = Actions(2);

        using (var features = DecisionFeatures.Encode(context, actions))
        {
            model.Learn(features, 1, reward: 1, probability: 0.001);
        }

        var scores = Bandit.Scores(model, context, actions);
        Assert.InRange(scores[1], 0.5, 1.0 + 1e-6);
        Assert.Equal(1, model.Updates);
    }

    [Fact]
    public void Enormous_feature_values_keep_the_model_finite()
    {
        var model = new LinearRewardModel(new LearnerSettings { Bits = 12 });
        var random = new Random(8);
        var actions = Actions(2);

        for (int round = 0; round < 500; round++)
        {
            Feature[] context = [Number("user", "huge", 1e30 * random.NextDouble()), Number("user", "tiny", 1e-30 * random.NextDouble())];
            Bandit.Round(model, context, actions, 0.5, random, chosen => chosen);
        }

        Assert.All(Bandit.Scores(model, [Number("user", "huge", 5e29), Number("user", "tiny", 5e-31)], actions), score => Assert.True(double.IsFinite(score)));
    }

    [Fact]
    public async Task Predicting_on_many_threads_while_learning_gives_finite_scores()
    {
        var model = new LinearRewardModel(new LearnerSettings { Bits = 12 });
        var (context, actions) = Large(new Random(9));
        using var features = DecisionFeatures.Encode(context, actions);
        using var stop = new CancellationTokenSource();

        var predictors = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            var scores = new double[actions.Length];
            int predictions = 0;
            while (!stop.IsCancellationRequested || predictions == 0)
            {
                model.Predict(features, scores);
                Assert.All(scores, score => Assert.True(double.IsFinite(score)));
                predictions++;
            }

            return predictions;
        })).ToArray();

        for (int round = 0; round < 3000; round++)
        {
            model.Learn(features, round % actions.Length, round % 7, 0.1);
        }

        stop.Cancel();
        Assert.All(await Task.WhenAll(predictors), predictions => Assert.True(predictions > 0));
    }

    [Fact]
    public void Learn_rejects_invalid_arguments()
    {
        var model = new LinearRewardModel(new LearnerSettings { Bits = 10 });
        using var features = DecisionFeatures.Encode([], Actions(2));

        Assert.Throws<ArgumentOutOfRangeException>(() => model.Learn(features, 2, 1, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Learn(features, 0, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Learn(features, 0, 1, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Learn(features, 0, double.NaN, 0.5));
        Assert.Throws<ArgumentException>(() => model.Predict(features, new double[3]));
    }

    [Fact]
    public void A_clone_learns_independently()
    {
        var model = new LinearRewardModel(new LearnerSettings { Bits = 12 });
        var actions = Actions(2);
        var random = new Random(3);
        for (int round = 0; round < 200; round++)
        {
            Bandit.Round(model, SegmentContext(0), actions, 0.5, random, chosen => chosen);
        }

        var clone = model.Clone();
        var before = Bandit.Scores(model, SegmentContext(0), actions);
        for (int round = 0; round < 200; round++)
        {
            Bandit.Round(clone, SegmentContext(0), actions, 0.5, random, chosen => 1 - chosen);
        }

        Assert.Equal(before, Bandit.Scores(model, SegmentContext(0), actions));
        Assert.NotEqual(before, Bandit.Scores(clone, SegmentContext(0), actions));
        Assert.Equal(200, model.Updates);
        Assert.Equal(400, clone.Updates);
    }

    private static Feature[] SegmentContext(int segment) => [Category("user", "segment", Segments[segment])];

    private static void RunSegmentProblem(LinearRewardModel model, Random random, int rounds, Func<Random, double> rewardOfClick)
    {
        var actions = Actions(3);
        for (int round = 0; round < rounds; round++)
        {
            int segment = random.Next(Segments.Length);
            Bandit.Round(model, SegmentContext(segment), actions, 0.1, random, chosen =>
            {
                double clickProbability = chosen == BestActionOfSegment[segment] ? 0.7 : 0.2;
                return random.NextDouble() < clickProbability ? rewardOfClick(random) : 0;
            });
        }
    }

    // Two actions whose click probability is linear in one numeric feature each: 0.5 + 0.4x for "left",
    // 0.5 + 0.4y for "right", with x and y uniform in [-1, 1]. x is fed to the model multiplied by xScale.
    private static (double Accuracy, double MeanSquaredError) TrainOnLinearProblem(double xScale, int seed)
    {
        var model = new LinearRewardModel(new LearnerSettings());
        var random = new Random(seed);
        var actions = new[] { Action("left"), Action("right") };
        Feature[] Context(double x, double y) => [Number("user", "x", x * xScale), Number("user", "y", y)];
        static double[] Means(double x, double y) => [0.5 + (0.4 * x), 0.5 + (0.4 * y)];

        for (int round = 0; round < 4000; round++)
        {
            double x = (2 * random.NextDouble()) - 1;
            double y = (2 * random.NextDouble()) - 1;
            var means = Means(x, y);
            Bandit.Round(model, Context(x, y), actions, 1.0, random, chosen => random.NextDouble() < means[chosen] ? 1 : 0);
        }

        int correct = 0;
        int evaluated = 0;
        double squaredError = 0;
        for (int test = 0; test < 2000; test++)
        {
            double x = (2 * random.NextDouble()) - 1;
            double y = (2 * random.NextDouble()) - 1;
            var means = Means(x, y);
            var scores = Bandit.Scores(model, Context(x, y), actions);
            squaredError += (Math.Pow(scores[0] - means[0], 2) + Math.Pow(scores[1] - means[1], 2)) / 2;
            if (Math.Abs(x - y) > 0.1)
            {
                evaluated++;
                correct += (scores[0] > scores[1]) == (means[0] > means[1]) ? 1 : 0;
            }
        }

        return ((double)correct / evaluated, squaredError / 2000);
    }
}
