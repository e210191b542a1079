using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Service.Tests;

/// <summary>
/// The example model shipped in <c>models/welcome-bonus.model</c>: trained through the API on a seeded two-segment
/// population for the policy of <c>models/welcome-bonus.policy.json</c>, it imports into a fresh service and knows
/// each segment's best bonus. <c>LOOPS_WRITE_EXAMPLE_MODEL=1</c> trains and writes it again.
/// </summary>
public sealed class ShippedModelTests
{
    private static readonly string ModelsDirectory = Path.Combine(RepositoryRoot(), "models");

    [Fact]
    public async Task The_shipped_welcome_bonus_model_imports_and_offers_each_segment_its_best_bonus()
    {
        if (Environment.GetEnvironmentVariable("LOOPS_WRITE_EXAMPLE_MODEL") == "1")
        {
            await File.WriteAllBytesAsync(Path.Combine(ModelsDirectory, "welcome-bonus.model"), await TrainAsync());
        }

        await using var host = await ServiceHost.StartAsync();
        await host.Client.UpsertPolicyAsync(await ShippedPolicyAsync());
        var imported = await host.Client.ImportModelAsync("welcome-bonus", await File.ReadAllBytesAsync(Path.Combine(ModelsDirectory, "welcome-bonus.model")));
        await host.Client.PromoteAsync("welcome-bonus", imported.Version);

        foreach (var (segment, best) in new[] { ("casual", "free-spins-50"), ("high-roller", "match-100") })
        {
            var response = await host.Client.DecideAsync(Request(segment));
            Assert.Equal(best, response.Ranking.MaxBy(r => r.Probability)!.ActionId);
            Assert.Equal(imported.Version, response.ModelVersion);
        }
    }

    private static async Task<byte[]> TrainAsync()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Loops:SnapshotIntervalSeconds=0.2");
        var policy = await ShippedPolicyAsync();
        policy.RewardWindowSeconds = 1;
        await host.Client.UpsertPolicyAsync(policy);
        var random = new Random(20261202);
        const int Decisions = 3000;
        for (var i = 0; i < Decisions; i++)
        {
            var segment = random.Next(2) == 0 ? "casual" : "high-roller";
            var response = await host.Client.DecideAsync(Request(segment, $"example-{i}"));
            var (chance, deposit) = (segment, response.ActionId) switch
            {
                ("casual", "free-spins-50") => (0.5, 60.0),
                ("high-roller", "match-100") => (0.6, 400.0),
                (_, "no-bonus") => (0.2, 50.0),
                _ => (0.25, 50.0),
            };
            if (random.NextDouble() < chance)
            {
                await host.Client.RewardAsync(response.EventId, deposit);
            }
        }

        for (var i = 0; i < 400 && (await host.Client.ListModelsAsync("welcome-bonus")) is not [.., { EventsLearned: Decisions }]; i++)
        {
            await Task.Delay(50);
        }

        return await host.Client.ExportModelAsync("welcome-bonus");
    }

    private static async Task<Policy> ShippedPolicyAsync() =>
        JsonParser.Default.Parse<Policy>(await File.ReadAllTextAsync(Path.Combine(ModelsDirectory, "welcome-bonus.policy.json")));

    private static DecideRequest Request(string segment, string eventId = "") => new()
    {
        Policy = "welcome-bonus",
        EventId = eventId,
        UserId = "player-" + eventId,
        Context = { new Feature { Namespace = "player", Name = "segment", Category = segment } },
    };

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Loops.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No Loops.sln above the test assembly.");
    }
}
