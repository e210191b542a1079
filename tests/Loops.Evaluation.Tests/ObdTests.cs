using Loops.Core.Evaluation;

namespace Loops.Evaluation.Tests;

/// <summary>Off-policy estimates on the Open Bandit Dataset sample, checked against on-policy click rates.</summary>
public sealed class ObdTests
{
    private const double Z95 = 1.959963984540054;

    [Theory]
    [InlineData("random", "men")]
    [InlineData("random", "women")]
    [InlineData("bts", "men")]
    [InlineData("bts", "women")]
    public async Task Ips_and_snips_of_the_logging_policy_equal_its_on_policy_click_rate(string policy, string campaign)
    {
        var logs = await ObdLogReader.ReadAsync(ObdData.Log(policy, campaign), CancellationToken.None);
        var report = EvaluationRunner.Run(new EvaluationRequest { Logs = logs, Target = new LoggingPolicy() }, CancellationToken.None);

        double clickRate = logs.Events.Average(e => e.Reward);
        Assert.Equal(10_000, logs.Events.Count);
        Assert.Equal(clickRate, Find(report, "ips").Estimate, 1e-12);
        Assert.Equal(clickRate, Find(report, "snips").Estimate, 1e-12);
        Assert.Equal(["dm", "dr", "sndr", "switch-dr"], report.Skipped.Select(s => s.Estimator));
    }

    [Fact]
    public async Task The_reader_takes_every_row_as_a_decision_over_all_items_of_the_campaign()
    {
        var logs = await ObdLogReader.ReadAsync(ObdData.Path("random", "men"), CancellationToken.None);
        var first = logs.Events[0];
        Assert.Equal(34, first.Actions.Count);
        Assert.Equal(1.0 / 34, first.LoggingProbability, 1e-15);
        Assert.Equal(46, logs.Events.Sum(e => e.Reward));
        Assert.Equal([1, 2, 3], logs.Events.Select(e => e.Position).Distinct().Order());
        Assert.Contains(first.Context, f => f.Namespace == "user" && f.Name == "user_feature_0");
        Assert.Contains(first.Actions[0].Features, f => f.Name == "item_feature_0" && f.HasNumber);
        Assert.Contains(first.Actions[0].Features, f => f.Name == "item_feature_1" && f.HasCategory);
    }

    [Theory]
    [InlineData("men", "ips")]
    [InlineData("men", "snips")]
    [InlineData("men", "dr")]
    [InlineData("women", "ips")]
    [InlineData("women", "snips")]
    [InlineData("women", "dr")]
    public async Task The_uniform_policy_estimated_from_bts_logs_agrees_with_the_click_rate_of_the_random_logs(string campaign, string estimator)
    {
        // Two independent estimates of one value: the 95% normal interval of their difference must contain 0.
        var bts = await ObdLogReader.ReadAsync(ObdData.Log("bts", campaign), CancellationToken.None);
        var random = await ObdLogReader.ReadAsync(ObdData.Log("random", campaign), CancellationToken.None);
        var offPolicy = Find(EvaluationRunner.Run(new EvaluationRequest { Logs = bts, Target = new UniformPolicy() }, CancellationToken.None), estimator);
        var onPolicy = Find(EvaluationRunner.Run(new EvaluationRequest { Logs = random, Target = new LoggingPolicy() }, CancellationToken.None), "ips");

        double difference = offPolicy.Estimate - onPolicy.Estimate;
        double standardError = Math.Sqrt((offPolicy.StandardError * offPolicy.StandardError) + (onPolicy.StandardError * onPolicy.StandardError));
        Assert.InRange(difference, -Z95 * standardError, Z95 * standardError);
        Assert.True(offPolicy.Lower <= onPolicy.Upper && onPolicy.Lower <= offPolicy.Upper, "the two 95% intervals overlap");
    }

    [Fact]
    public async Task A_probability_file_of_the_uniform_policy_gives_the_estimates_of_the_uniform_policy()
    {
        using var directory = new TemporaryDirectory();
        var logs = await ObdLogReader.ReadAsync(ObdData.Log("bts", "men"), CancellationToken.None);
        var path = directory.File("uniform.csv");
        await ProbabilityFiles.WriteAsync(path, logs, (_, _) => 1.0 / 34, allPositions: true);

        var fromFile = EvaluationRunner.Run(
            new EvaluationRequest { Logs = logs, Target = await ProbabilityFilePolicy.LoadAsync(path, logs.Events, CancellationToken.None) },
            CancellationToken.None);
        var uniform = EvaluationRunner.Run(new EvaluationRequest { Logs = logs, Target = new UniformPolicy() }, CancellationToken.None);

        Assert.Equal(uniform.Estimates.Select(e => e.Estimate), fromFile.Estimates.Select(e => e.Estimate));
        Assert.Equal(uniform.Diagnostics, fromFile.Diagnostics);
    }

    [Fact]
    public async Task One_position_can_be_evaluated_alone()
    {
        var logs = (await ObdLogReader.ReadAsync(ObdData.Log("random", "women"), CancellationToken.None)).AtPosition(2);
        Assert.All(logs.Events, e => Assert.Equal(2, e.Position));
        Assert.Equal(3374, logs.Events.Count);
        Assert.Throws<EvaluationInputException>(() => logs.AtPosition(4));
    }

    [Fact]
    public async Task The_bts_logs_show_how_little_support_the_uniform_policy_has()
    {
        var logs = await ObdLogReader.ReadAsync(ObdData.Log("bts", "women"), CancellationToken.None);
        var report = EvaluationRunner.Run(
            new EvaluationRequest { Logs = logs, Target = new UniformPolicy(), Estimators = ["ips"] }, CancellationToken.None);

        Assert.Equal(SupportSource.ImportanceWeights, report.Diagnostics.SupportSource);
        Assert.InRange(report.Diagnostics.LowSupportShare, 0.5, 1);
        Assert.True(report.Diagnostics.EffectiveSampleSize < 10);
        Assert.Equal(1.0 / 46 / 1e-6, report.Diagnostics.MaxWeight, 1e-6);
    }

    private static OffPolicyEstimate Find(EvaluationReport report, string estimator) =>
        report.Estimates.Single(e => e.Estimator == estimator);
}
