using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Core;
using Loops.Core.Evaluation;
using Loops.Training;

namespace Loops.Evaluation.Tests;

/// <summary>Evaluation on the joined-event log that the embedded store writes.</summary>
public sealed class JoinedLogTests : IDisposable
{
    private const int Decisions = 400;
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_joined_log_is_read_with_the_logged_distributions()
    {
        await LoopsDataDirectory.WriteAsync(_directory.Path, Decisions, seed: 1);

        var logs = await LogSource.ReadAsync(_directory.Path, format: null, policy: null, CancellationToken.None);

        Assert.Equal(LogFormat.Loops, logs.Format);
        Assert.Equal(Decisions, logs.Events.Count);
        Assert.Equal(Enumerable.Range(0, Decisions), logs.Events.Select(e => e.Round));
        Assert.All(logs.Events, e => Assert.Equal([0.3, 0.7], e.LoggingDistribution!));
        Assert.All(logs.Events, e => Assert.Equal(e.LoggingDistribution![e.LoggedAction], e.LoggingProbability));
    }

    [Fact]
    public async Task The_logging_policy_on_loops_logs_runs_every_estimator_and_ips_equals_the_mean_reward()
    {
        await LoopsDataDirectory.WriteAsync(_directory.Path, Decisions, seed: 2);
        var logs = await JoinedEventLogReader.ReadAsync(_directory.Path, LoopsDataDirectory.Policy, CancellationToken.None);

        var report = EvaluationRunner.Run(new EvaluationRequest { Logs = logs, Target = new LoggingPolicy() }, CancellationToken.None);

        Assert.Empty(report.Skipped);
        Assert.Equal(OffPolicyEstimators.Names, report.Estimates.Select(e => e.Estimator));
        Assert.Equal(logs.MeanReward, report.Estimates[0].Estimate, 1e-12);
        Assert.Equal(SupportSource.LoggedDistributions, report.Diagnostics.SupportSource);
        Assert.Equal(0, report.Diagnostics.LowSupportShare);

        // DM is left out: its interval ignores the reward model's bias, which a one-pass linear model has.
        Assert.All(report.Estimates.Where(e => e.Estimator != "dm"), e => Assert.InRange(logs.MeanReward, e.Lower, e.Upper));
    }

    [Fact]
    public async Task A_policy_definition_with_its_model_snapshot_is_evaluated_through_epsilon_greedy()
    {
        await LoopsDataDirectory.WriteAsync(_directory.Path, Decisions, seed: 3);
        var logs = await JoinedEventLogReader.ReadAsync(_directory.Path, null, CancellationToken.None);
        var (policyPath, modelPath) = await WritePolicyAsync(logs, epsilon: 0.2);

        var target = await TargetPolicies.ResolveAsync(policyPath, modelPath, logs, CancellationToken.None);
        var report = EvaluationRunner.Run(new EvaluationRequest { Logs = logs, Target = target }, CancellationToken.None);

        var probabilities = new double[2];
        Assert.All(logs.Events, e =>
        {
            Assert.True(target.TryGetDistribution(e, probabilities));
            Assert.Equal(1, probabilities.Sum(), 1e-12);
            Assert.True(probabilities.Min() >= 0.1 - 1e-12);
        });

        // The learned policy plays the clicked action per segment: it beats the logger.
        var dr = report.Estimates.Single(e => e.Estimator == "dr");
        Assert.True(dr.Lower > logs.MeanReward, $"DR [{dr.Lower}, {dr.Upper}] vs logged {logs.MeanReward}");
    }

    [Fact]
    public async Task A_bare_model_file_is_accepted_and_a_missing_model_is_explained()
    {
        await LoopsDataDirectory.WriteAsync(_directory.Path, 50, seed: 4);
        var logs = await JoinedEventLogReader.ReadAsync(_directory.Path, null, CancellationToken.None);
        var (policyPath, _) = await WritePolicyAsync(logs, epsilon: 0.1);
        var barePath = _directory.File("bare.model");
        using (var stream = File.Create(barePath))
        {
            new LinearRewardModel(new LearnerSettings { Bits = 12 }).WriteTo(stream);
        }

        var target = await TargetPolicies.ResolveAsync(policyPath, barePath, logs, CancellationToken.None);
        Assert.Contains("bonus", target.Description, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<EvaluationInputException>(
            () => TargetPolicies.ResolveAsync(policyPath, null, logs, CancellationToken.None));
        Assert.Contains("pass --model", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_policy_s_events_are_filtered_out_and_none_left_is_an_error()
    {
        await LoopsDataDirectory.WriteAsync(_directory.Path, 20, seed: 5);
        var exception = await Assert.ThrowsAsync<EvaluationInputException>(
            () => JoinedEventLogReader.ReadAsync(_directory.Path, "other", CancellationToken.None));
        Assert.Contains("no event of policy 'other'", exception.Message, StringComparison.Ordinal);
    }

    private async Task<(string Policy, string Model)> WritePolicyAsync(LoggedData logs, double epsilon)
    {
        var policyPath = _directory.File("bonus.policy.json");
        var definition = new Policy { Name = LoopsDataDirectory.Policy, Epsilon = epsilon, Learning = new LearningSettings { Bits = 12 } };
        await File.WriteAllTextAsync(policyPath, JsonFormatter.Default.Format(definition));

        var model = new LinearRewardModel(new LearnerSettings { Bits = 12 });
        foreach (var loggedEvent in logs.Events)
        {
            using var features = DecisionFeatures.Encode(loggedEvent.Context, loggedEvent.Actions);
            model.Learn(features, loggedEvent.LoggedAction, loggedEvent.Reward, loggedEvent.LoggingProbability);
        }

        using var buffer = new MemoryStream();
        model.WriteTo(buffer);
        var modelPath = _directory.File("bonus.model");
        await ModelFile.WriteAsync(modelPath, version: 3, eventsLearned: logs.Events.Count, lastSequence: logs.Events.Count, buffer.ToArray(), CancellationToken.None);
        return (policyPath, modelPath);
    }
}
