using Loops.Contracts.V1;
using Loops.Feedback;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Simulator.Tests;

/// <summary>
/// A temporary Loops data directory whose joined-event log is written by the real embedded store: a policy "bonus"
/// logs "none" with probability 0.3 and "bonus" with 0.7; players of segment "b" click "bonus" and the others "none",
/// each 80% of the time. The logger is worth 0.4 per decision, the best policy 0.8.
/// </summary>
internal sealed class JoinedLogDirectory : IDisposable
{
    public const string Policy = "bonus";

    private JoinedLogDirectory(string path) => Path = path;

    public string Path { get; }

    public static async Task<JoinedLogDirectory> WriteAsync(int decisions, int seed)
    {
        var directory = new JoinedLogDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "loops-sim-tests", Guid.NewGuid().ToString("N")));
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var options = new EmbeddedFeedbackStoreOptions { DataDirectory = directory.Path };
        var store = await EmbeddedFeedbackStore.OpenAsync(options, time, NullLogger<EmbeddedFeedbackStore>.Instance, timeout.Token);
        await using (store)
        {
            var random = new Random(seed);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            for (var i = 0; i < decisions; i++)
            {
                var segment = random.Next(2) == 0 ? "a" : "b";
                var chosen = random.NextDouble() < 0.3 ? 0 : 1;
                var decision = new DecisionEvent
                {
                    EventId = $"d{i}",
                    Policy = Policy,
                    TimestampUnixMs = now,
                    Context = { new Feature { Namespace = "player", Name = "segment", Category = segment } },
                    Actions = { new Action { Id = "none" }, new Action { Id = "bonus" } },
                    Probabilities = { 0.3, 0.7 },
                    ChosenIndex = chosen,
                    JoinDeadlineUnixMs = now + 1_000,
                };
                await store.RecordDecisionAsync(decision, timeout.Token);
                if ((segment == "b") == (chosen == 1) && random.NextDouble() < 0.8)
                {
                    await store.RecordRewardAsync(new RewardEvent { EventId = decision.EventId, Value = 1, TimestampUnixMs = now }, timeout.Token);
                }
            }

            // Past every join deadline, the store joins each decision; reading them all waits until it has.
            time.Advance(TimeSpan.FromSeconds(2));
            var joined = 0;
            await foreach (var _ in store.ReadJoinedAsync(0, timeout.Token))
            {
                if (++joined == decisions)
                {
                    break;
                }
            }
        }

        return directory;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}
