using Loops.Core.Evaluation;
using Loops.Evaluation;
using Loops.Simulation.Replay;

namespace Loops.Simulator.Tests;

public sealed class OffPolicyReplayTests
{
    [Fact]
    public async Task On_obd_random_logs_the_uniform_policy_s_ips_is_the_on_policy_click_rate_and_its_intervals_contain_it()
    {
        var logs = await ReplayLogs.ReadObdAsync(TestPaths.Obd, "random", "men", int.MaxValue, CancellationToken.None);

        var uniform = Evaluate("uniform", logs);
        var logging = Evaluate("logging", logs);

        // The uniform policy is the logger here: every weight is 1, so IPS is exactly the mean logged click.
        Assert.Equal(logs.MeanReward, uniform.Estimates[0].Estimate, 12);
        Assert.All(uniform.Estimates, e => Assert.True(e.Contains(logs.MeanReward), $"{e.Estimator} [{e.Lower}, {e.Upper}] vs {logs.MeanReward}"));
        Assert.Equal(uniform.Estimates.Select(e => e.Estimate), logging.Estimates.Select(e => e.Estimate));
    }

    [Fact]
    public async Task A_loops_policy_is_evaluated_progressively_on_obd_with_every_estimator()
    {
        var logs = await ReplayLogs.ReadObdAsync(TestPaths.Obd, "random", "men", 2000, CancellationToken.None);

        var result = Evaluate("loops:squarecb", logs);

        Assert.Equal(["ips", "snips", "dr"], result.Estimates.Select(e => e.Estimator));
        Assert.All(result.Estimates, e => Assert.InRange(e.Estimate, 0, 0.1));
        Assert.All(result.Estimates, e => Assert.True(e.Lower <= e.Estimate && e.Estimate <= e.Upper));
    }

    [Fact]
    public async Task On_bts_logs_ope_runs_without_the_full_distribution_but_the_logging_baseline_needs_it()
    {
        var logs = await ReplayLogs.ReadObdAsync(TestPaths.Obd, "bts", "men", 500, CancellationToken.None);

        var uniform = Evaluate("uniform", logs);

        Assert.True(double.IsFinite(uniform.Estimates[0].Estimate));
        Assert.Throws<InvalidOperationException>(() => Evaluate("logging", logs));
    }

    [Fact]
    public async Task On_the_embedded_store_s_joined_log_a_learning_policy_beats_the_logger()
    {
        using var directory = await JoinedLogDirectory.WriteAsync(decisions: 600, seed: 11);
        var logs = await JoinedEventLogReader.ReadAsync(directory.Path, JoinedLogDirectory.Policy, CancellationToken.None);

        var logging = Evaluate("logging", logs);
        var learner = Evaluate("loops:epsilon_greedy:0.1", logs);

        Assert.Equal(600, logs.Events.Count);
        Assert.Equal(logs.MeanReward, logging.Estimates[0].Estimate, 12);
        Assert.All(logging.Estimates, e => Assert.True(e.Contains(logs.MeanReward)));

        // The learner plays each segment's clicked action after a few events; even learning as it goes, its DR
        // interval lies above the logger's value (0.4 in expectation; the best policy is worth 0.8).
        var dr = learner.Estimates.Single(e => e.Estimator == "dr");
        Assert.True(dr.Lower > logs.MeanReward, $"DR [{dr.Lower}, {dr.Upper}] vs logged {logs.MeanReward}");
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_replay_and_estimates_for_a_randomised_algorithm()
    {
        var logs = await ReplayLogs.ReadObdAsync(TestPaths.Obd, "random", "women", 1500, CancellationToken.None);

        var first = Evaluate("loops:thompson", logs, seed: 7);
        var second = Evaluate("loops:thompson", logs, seed: 7);
        var firstReplay = ReplayEvaluator.Evaluate("t", logs.Events, ReplayPolicies.Create("loops:thompson", logs.Events, 7), 7);
        var secondReplay = ReplayEvaluator.Evaluate("t", logs.Events, ReplayPolicies.Create("loops:thompson", logs.Events, 7), 7);

        Assert.Equal(first.Estimates, second.Estimates);
        Assert.Equal(firstReplay, secondReplay);
    }

    private static OpeResult Evaluate(string policy, LoggedData logs, ulong seed = 1)
    {
        var predictions = OpeEvaluator.FitRewardModel(logs, CancellationToken.None);
        return OpeEvaluator.Evaluate(policy, logs, predictions, ReplayPolicies.Create(policy, logs.Events, seed), OpeEvaluator.Default, IntervalOptions.Default);
    }
}
