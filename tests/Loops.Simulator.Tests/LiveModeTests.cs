using Loops.Client;
using Loops.Simulation.Live;
using Loops.Simulation.Running;
using Loops.Simulation.Strategies;

namespace Loops.Simulator.Tests;

public sealed class LiveModeTests(ServiceProcess service) : IClassFixture<ServiceProcess>
{
    [Fact]
    public async Task A_live_run_goes_through_decide_and_reward_and_the_service_learns()
    {
        // One simulated day (2,000 decisions) with a 2-hour reward window, so the service joins and learns within the run.
        var scenario = Scenarios.Load("welcome-bonus") with { RewardWindowHours = 2 };
        var runId = "test" + Guid.NewGuid().ToString("N")[..8];
        var options = new ExperimentOptions
        {
            Strategies = StrategySpec.ParseList(["ab-test,loops:epsilon_greedy:0.05"]),
            Seeds = 1,
            Days = 1,
            Live = new LiveOptions { Target = service.Address, StepMilliseconds = 1, Concurrency = 8, RunId = runId },
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var result = await ExperimentRunner.RunAsync(scenario, options, null, timeout.Token);

        var live = result.ByStrategy[1][0].Metrics;
        Assert.Equal(2000, live.TotalDecisions);
        Assert.Equal(2000, live.ActionCounts.Sum());
        Assert.True(live.TotalConversions > 100, $"{live.TotalConversions} conversions");
        using var client = new LoopsClient(service.Address);
        var policy = await client.GetPolicyAsync($"sim-welcome-bonus-{runId}-1-0", timeout.Token);
        Assert.True(policy.EventsLearned > 1000, $"the service learned from {policy.EventsLearned} events; log:\n{service.Log}");
        Assert.Equal(0.05, policy.Epsilon);
    }
}
