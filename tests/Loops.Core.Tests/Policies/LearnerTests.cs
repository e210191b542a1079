using Loops.Contracts.V1;
using static Loops.Core.Tests.Decisions;

namespace Loops.Core.Tests.Policies;

public sealed class LearnerTests
{
    [Theory]
    [InlineData(CbType.Mtr)]
    [InlineData(CbType.Ips)]
    [InlineData(CbType.Dr)]
    public void Every_cb_type_learns_revenue_scale_rewards(CbType cbType)
    {
        var model = new LinearRewardModel(new LearnerSettings { Bits = 12, CbType = cbType });
        var random = new Random(3);
        var actions = Actions(3);
        int[] best = [1, 2];
        for (int round = 0; round < 4000; round++)
        {
            int segment = random.Next(2);
            Bandit.Round(model, Segment(segment), actions, 0.3, random,
                chosen => random.NextDouble() < (chosen == best[segment] ? 0.6 : 0.2) ? 100 + (200 * random.NextDouble()) : 0);
        }

        for (int segment = 0; segment < 2; segment++)
        {
            Assert.Equal(best[segment], Bandit.Greedy(model, Segment(segment), actions));
        }
    }

    [Fact]
    public void Ips_regresses_the_other_actions_towards_zero_and_dr_leaves_them_alone()
    {
        var ips = new LinearRewardModel(new LearnerSettings { Bits = 12, CbType = CbType.Ips, Interactions = false });
        var dr = new LinearRewardModel(new LearnerSettings { Bits = 12, CbType = CbType.Dr, Interactions = false });
        var actions = Actions(2);
        for (int round = 0; round < 50; round++)
        {
            using var features = DecisionFeatures.Encode([], actions);
            ips.Learn(features, round % 2, 1, 0.5);
            dr.Learn(features, round % 2, 1, 0.5);
        }

        // Both actions were chosen half the time with p = 1/2 and reward 1: IPS targets average 1 (2 and 0).
        Assert.All(Bandit.Scores(ips, [], actions), score => Assert.InRange(score, 0.7, 1.3));
        Assert.All(Bandit.Scores(dr, [], actions), score => Assert.InRange(score, 0.7, 1.3));
    }

    [Fact]
    public void Forgetting_follows_a_drifting_population_faster()
    {
        double Share(double halfLife)
        {
            var model = new LinearRewardModel(new LearnerSettings { Bits = 12, ForgettingHalfLife = halfLife });
            var random = new Random(4);
            var actions = Actions(2);
            int correct = 0;
            for (int round = 0; round < 20_500; round++)
            {
                // The best action flips after 20,000 rounds, when a decaying learning rate has become small; count
                // the greedy choices of the new best over the 500 rounds after the flip.
                int best = round < 20_000 ? 0 : 1;
                Bandit.Round(model, [], actions, 0.1, random, a => random.NextDouble() < (a == best ? 0.7 : 0.3) ? 1 : 0);
                correct += round >= 20_000 && Bandit.Greedy(model, [], actions) == best ? 1 : 0;
            }

            return correct / 500.0;
        }

        double without = Share(0);
        double with = Share(200);

        Assert.True(with > without + 0.3, $"share of correct greedy choices after the drift: forgetting {with:F3}, none {without:F3}");
    }

    [Fact]
    public void Extended_settings_round_trip_and_default_settings_keep_format_version_one()
    {
        var settings = new LearnerSettings { Bits = 10, CbType = CbType.Ips, PowerT = 0.3, ForgettingHalfLife = 50 };
        var model = new LinearRewardModel(settings);
        using (var features = DecisionFeatures.Encode([Number("user", "x", 3)], Actions(2)))
        {
            for (int i = 0; i < 100; i++)
            {
                model.Learn(features, i % 2, i % 5, 0.5);
            }
        }

        using var stream = new MemoryStream();
        model.WriteTo(stream);
        stream.Position = 0;
        var copy = LinearRewardModel.ReadFrom(stream);

        Assert.Equal(2, BitConverter.ToInt32(stream.ToArray(), 8));
        Assert.Equal(settings, copy.Settings);
        Assert.Equal(Bandit.Scores(model, [Number("user", "x", 3)], Actions(2)), Bandit.Scores(copy, [Number("user", "x", 3)], Actions(2)));
    }

    [Fact]
    public void New_learner_settings_are_validated()
    {
        Assert.Contains("power_t", Assert.Throws<ArgumentException>(new LearnerSettings { PowerT = 1.5 }.Validate).Message, StringComparison.Ordinal);
        Assert.Contains("forgetting_half_life", Assert.Throws<ArgumentException>(new LearnerSettings { ForgettingHalfLife = 0.5 }.Validate).Message, StringComparison.Ordinal);
        Assert.Contains("cb_type", Assert.Throws<ArgumentException>(new LearnerSettings { CbType = (CbType)7 }.Validate).Message, StringComparison.Ordinal);
    }

    private static Feature[] Segment(int segment) => [Category("user", "segment", $"s{segment}")];
}
