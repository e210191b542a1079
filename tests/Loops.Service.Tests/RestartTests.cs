using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Service.Tests;

/// <summary>Restarting the service keeps policies, the model and pending joins.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Policies_models_and_pending_joins_survive_a_restart()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("loops-restart-").FullName;
        var catalogue = new Policy { Name = "reactivation", Epsilon = 0.05, RewardWindowSeconds = 2, DefaultReward = -1 };
        catalogue.Actions.Add([new Action { Id = "email" }, new Action { Id = "push", Cost = 0.5 }]);
        string pendingEventId;
        long learnedBefore;
        await using (var host = await ServiceHost.StartAsync(dataDirectory))
        {
            await host.Client.UpsertPolicyAsync(catalogue);
            for (var i = 0; i < 20; i++)
            {
                var decision = await host.Client.DecideAsync(new DecideRequest { Policy = "reactivation", UserId = $"u{i}" });
                await host.Client.RewardAsync(decision.EventId, 1);
            }

            await WaitUntilAsync(async () => (await host.Client.GetPolicyAsync("reactivation")).EventsLearned == 20);
            learnedBefore = (await host.Client.GetPolicyAsync("reactivation")).EventsLearned;
            pendingEventId = (await host.Client.DecideAsync(new DecideRequest { Policy = "reactivation" })).EventId;
        }

        await using (var host = await ServiceHost.StartAsync(dataDirectory))
        {
            var policy = await host.Client.GetPolicyAsync("reactivation");
            Assert.Equal(2, policy.Actions.Count);
            Assert.Equal(-1, policy.DefaultReward);
            Assert.Equal(learnedBefore, policy.EventsLearned);

            // The decision made before the restart is still waiting for its reward, then joins and is learned.
            Assert.True((await host.Client.RewardAsync(pendingEventId, 3)).EventFound);
            await WaitUntilAsync(async () => (await host.Client.GetPolicyAsync("reactivation")).EventsLearned == learnedBefore + 1);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 30 s");
            await Task.Delay(50);
        }
    }
}
