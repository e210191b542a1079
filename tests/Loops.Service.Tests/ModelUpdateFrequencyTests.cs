using Loops.Contracts.V1;

namespace Loops.Service.Tests;

/// <summary>A policy's model_update_seconds: how often its learning model becomes a new version, changeable at run time.</summary>
public sealed class ModelUpdateFrequencyTests
{
    [Fact]
    public async Task A_policy_stores_versions_at_its_own_frequency_and_a_change_keeps_the_model()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Loops:SnapshotIntervalSeconds=0.2");
        await host.Client.UpsertPolicyAsync(new Policy { Name = "frequent", RewardWindowSeconds = 1 });
        await host.Client.UpsertPolicyAsync(new Policy { Name = "hourly", RewardWindowSeconds = 1, ModelUpdateSeconds = 3600 });
        await Task.WhenAll(
            new RetrainingEnvironment(host.Client, "frequent").RunAsync(100, seed: 1, pauseMs: 0),
            new RetrainingEnvironment(host.Client, "hourly").RunAsync(100, seed: 2, pauseMs: 0));
        await new RetrainingEnvironment(host.Client, "frequent").WaitLearnedAsync(100);
        await new RetrainingEnvironment(host.Client, "hourly").WaitLearnedAsync(100);
        await WaitAsync(async () => (await host.Client.ListModelsAsync("frequent")).Count > 0);

        // Learned, but not yet an hour old: no version.
        Assert.Empty(await host.Client.ListModelsAsync("hourly"));
        var changed = await host.Client.UpsertPolicyAsync(new Policy { Name = "hourly", RewardWindowSeconds = 1, ModelUpdateSeconds = 0.2 });
        Assert.Equal(0.2, changed.ModelUpdateSeconds);
        await WaitAsync(async () => (await host.Client.ListModelsAsync("hourly")).Count > 0);
        var version = Assert.Single(await host.Client.ListModelsAsync("hourly"));
        Assert.Equal(100, version.EventsLearned);
        Assert.Equal(100, (await host.Client.GetPolicyAsync("hourly")).EventsLearned);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await condition(), "timed out");
    }
}
