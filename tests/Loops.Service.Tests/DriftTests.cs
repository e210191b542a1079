using Loops.Contracts.V1;

namespace Loops.Service.Tests;

/// <summary>A population whose best actions change halfway: recency weighting and retraining follow it.</summary>
public sealed class DriftTests
{
    [Fact]
    public async Task Policy_follows_a_change_of_the_best_actions()
    {
        await using var host = await ServiceHost.StartAsync();
        const string name = "drift";
        var policy = new Policy
        {
            Name = name,
            Epsilon = 0.1,
            RewardWindowSeconds = 1,
            Learning = new LearningSettings { ForgettingHalfLife = 500 },
            Retraining = new RetrainingSettings { EvaluateEveryEvents = 500, EvaluationWindowEvents = 250 },
        };
        // The challenger forgets faster but learns at the default rate: a challenger with a learning rate of 0.5 won
        // evaluations right after the change and, once promoted, chose the best action only about 70% of the time.
        policy.Retraining.Challengers.Add(new Challenger { Name = "fast", Epsilon = -1, Learning = new LearningSettings { ForgettingHalfLife = 150 } });
        await host.Client.UpsertPolicyAsync(policy);
        var environment = new RetrainingEnvironment(host.Client, name);

        const int phase = 3000;
        var first = await environment.RunAsync(phase, seed: 6, pauseMs: 10);
        environment.Swapped = true;
        var second = await environment.RunAsync(phase, seed: 7, pauseMs: 10);

        var firstShare = first[^1000..].Average(b => b ? 1.0 : 0.0);
        var secondShare = second[^1000..].Average(b => b ? 1.0 : 0.0);
        // The audit trail says whether a promotion happened, which is what a low share usually comes from.
        var history = string.Join(", ", (await host.Client.ListEvaluationsAsync(name, 1000)).Select(e => e.Decision));
        Assert.True(firstShare >= 0.7, $"share of best actions in the first phase's last 1,000 decisions: {firstShare:F3}; evaluations: {history}");
        Assert.True(secondShare >= 0.7, $"share of best actions in the second phase's last 1,000 decisions: {secondShare:F3}; evaluations: {history}");

        await environment.WaitLearnedAsync(2 * phase);
        var evaluations = await host.Client.ListEvaluationsAsync(name, 1000);
        Assert.True(evaluations.Count >= 5, $"evaluations in the audit log: {evaluations.Count}");
        Assert.All(evaluations, e => Assert.Contains(e.Candidates, c => c.Name == "champion" && c.N == 250));
    }
}
