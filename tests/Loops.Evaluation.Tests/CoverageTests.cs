using FsCheck;
using FsCheck.Fluent;
using Loops.Core.Evaluation;
using Xunit.Abstractions;

namespace Loops.Evaluation.Tests;

/// <summary>Statistical checks against the known value of a target policy on a synthetic bandit.</summary>
public sealed class CoverageTests(ITestOutputHelper output)
{
    private const int Seeds = 200;
    private const int EventsPerSeed = 1000;
    private static readonly SyntheticBandit Bandit = new(problemSeed: 2024);

    // One draw per seed, shared by the tests (drawing is the slow part).
    private static readonly Lazy<EvaluationSample[][]> GoodModelLogs = new(
        () => [.. Enumerable.Range(0, Seeds).Select(seed => Bandit.Log(seed, EventsPerSeed, modelNoise: 0.05))]);

    [Fact]
    public void Ips_and_dr_95_percent_intervals_cover_the_true_value_in_at_least_90_percent_of_200_seeds()
    {
        int ipsCovered = 0;
        int drCovered = 0;
        for (int seed = 0; seed < Seeds; seed++)
        {
            var samples = GoodModelLogs.Value[seed];
            ipsCovered += OffPolicyEstimators.Ips.Estimate(samples).Contains(Bandit.TrueValue) ? 1 : 0;
            drCovered += OffPolicyEstimators.Dr.Estimate(samples).Contains(Bandit.TrueValue) ? 1 : 0;
        }

        output.WriteLine($"true value {Bandit.TrueValue:F4}; covered: IPS {ipsCovered}/{Seeds}, DR {drCovered}/{Seeds}");
        Assert.True(ipsCovered >= 0.9 * Seeds, $"IPS covered the truth in {ipsCovered} of {Seeds} seeds");
        Assert.True(drCovered >= 0.9 * Seeds, $"DR covered the truth in {drCovered} of {Seeds} seeds");
    }

    [Fact]
    public void Dr_intervals_are_narrower_than_ips_intervals_on_average_when_the_reward_model_is_good()
    {
        double ipsWidth = 0;
        double drWidth = 0;
        for (int seed = 0; seed < Seeds; seed++)
        {
            var samples = GoodModelLogs.Value[seed];
            ipsWidth += OffPolicyEstimators.Ips.Estimate(samples).Width;
            drWidth += OffPolicyEstimators.Dr.Estimate(samples).Width;
        }

        output.WriteLine($"mean width: IPS {ipsWidth / Seeds:F4}, DR {drWidth / Seeds:F4}");
        Assert.True(drWidth < ipsWidth, $"mean DR width {drWidth / Seeds} vs IPS {ipsWidth / Seeds}");
    }

    [Fact]
    public void Dr_stays_unbiased_with_a_bad_reward_model_where_dm_does_not()
    {
        double drError = 0;
        double dmError = 0;
        for (int seed = 0; seed < Seeds; seed++)
        {
            // A model shifted by +0.3 everywhere: DM inherits the shift, DR corrects it.
            var samples = GoodModelLogs.Value[seed]
                .Select(s => s with { PredictedReward = s.PredictedReward + 0.3, TargetPredictedReward = s.TargetPredictedReward + 0.3 })
                .ToArray();
            drError += OffPolicyEstimators.Dr.Estimate(samples).Estimate - Bandit.TrueValue;
            dmError += OffPolicyEstimators.Dm.Estimate(samples).Estimate - Bandit.TrueValue;
        }

        output.WriteLine($"mean error with a +0.3 model: DR {drError / Seeds:F4}, DM {dmError / Seeds:F4}");
        Assert.InRange(drError / Seeds, -0.01, 0.01);
        Assert.InRange(dmError / Seeds, 0.29, 0.31);
    }

    [Fact]
    public void Ips_and_snips_of_the_logging_policy_equal_the_mean_reward()
    {
        var propensity = Gen.Choose(1, 1000).Select(k => k / 1000.0);
        var reward = Gen.Choose(-100, 100).Select(r => r / 10.0);
        var sample = propensity.SelectMany(p => reward.Select(r => new EvaluationSample(p, p, r)));
        Prop.ForAll(
            sample.ArrayOf().Where(s => s.Length >= 2).ToArbitrary(),
            samples =>
            {
                double mean = samples.Average(s => s.Reward);
                var ips = OffPolicyEstimators.Ips.Estimate(samples);
                var snips = OffPolicyEstimators.Snips.Estimate(samples);
                return Math.Abs(ips.Estimate - mean) < 1e-9 && Math.Abs(snips.Estimate - mean) < 1e-9
                    && ips.Lower <= ips.Estimate && ips.Estimate <= ips.Upper
                    && Math.Abs(ips.Diagnostics.EffectiveSampleSize - samples.Length) < 1e-6;
            }).QuickCheckThrowOnFailure();
    }
}
