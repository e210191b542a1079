using Loops.Contracts.V1;
using Loops.Feedback;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Evaluation.Tests;

/// <summary>
/// A Loops data directory whose joined-event log is written by the real embedded store: decisions of a policy
/// "bonus" over two actions, in two segments of players; players of segment "b" click "bonus", others "none".
/// </summary>
internal static class LoopsDataDirectory
{
    public const string Policy = "bonus";

    public static async Task WriteAsync(string dataDirectory, int decisions, int seed)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new EmbeddedFeedbackStoreOptions { DataDirectory = dataDirectory };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var store = await EmbeddedFeedbackStore.OpenAsync(options, time, NullLogger<EmbeddedFeedbackStore>.Instance, timeout.Token);
        await using (store)
        {
            var random = new Random(seed);
            long now = time.GetUtcNow().ToUnixTimeMilliseconds();
            for (int i = 0; i < decisions; i++)
            {
                string segment = random.Next(2) == 0 ? "a" : "b";
                int chosen = random.NextDouble() < 0.3 ? 0 : 1;
                var decision = new DecisionEvent
                {
                    EventId = $"e{i}",
                    Policy = Policy,
                    TimestampUnixMs = now,
                    Context = { new Feature { Namespace = "player", Name = "segment", Category = segment } },
                    Actions = { new Action { Id = "none" }, new Action { Id = "bonus" } },
                    Probabilities = { 0.3, 0.7 },
                    ChosenIndex = chosen,
                    JoinDeadlineUnixMs = now + 1_000,
                };
                await store.RecordDecisionAsync(decision, timeout.Token);
                bool clicked = (segment == "b") == (chosen == 1) && random.NextDouble() < 0.8;
                if (clicked)
                {
                    await store.RecordRewardAsync(new RewardEvent { EventId = decision.EventId, Value = 1, TimestampUnixMs = now }, timeout.Token);
                }
            }

            time.Advance(TimeSpan.FromSeconds(2));
            int joined = 0;
            await foreach (var _ in store.ReadJoinedAsync(0, timeout.Token))
            {
                if (++joined == decisions)
                {
                    break;
                }
            }
        }
    }
}
