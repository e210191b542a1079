using Loops.Client;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Service.Tests;

/// <summary>
/// A synthetic two-segment environment for the retraining tests: each segment has one best action (reward 1 with
/// probability 0.7; the others 0.2), and <see cref="Swapped"/> exchanges the best actions to simulate drift.
/// </summary>
internal sealed class RetrainingEnvironment(LoopsClient client, string policy)
{
    public static readonly string[] Actions = ["bonus-small", "bonus-large", "free-spins"];

    public bool Swapped { get; set; }

    public string BestAction(string segment) => (segment == "casual") ^ Swapped ? "free-spins" : "bonus-large";

    public static DecideRequest Request(string policy, string segment, string? eventId = null)
    {
        var request = new DecideRequest { Policy = policy, EventId = eventId ?? string.Empty };
        request.Context.Add(new Feature { Namespace = "player", Name = "segment", Category = segment });
        request.Actions.Add(Actions.Select(id => new Action { Id = id }));
        return request;
    }

    /// <summary>Runs decisions on a few workers; returns whether each one chose its segment's best action, in order.</summary>
    public async Task<bool[]> RunAsync(int decisions, int seed, bool reward = true, int pauseMs = 2)
    {
        var best = new bool[decisions];
        var next = -1;
        var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var random = new Random(seed * 31 + worker);
            int index;
            while ((index = Interlocked.Increment(ref next)) < decisions)
            {
                var segment = random.Next(2) == 0 ? "casual" : "whale";
                var response = await client.DecideAsync(Request(policy, segment));
                var isBest = response.ActionId == BestAction(segment);
                best[index] = isBest;
                if (reward && random.NextDouble() < (isBest ? 0.7 : 0.2))
                {
                    await client.RewardAsync(response.EventId, 1);
                }

                await Task.Delay(pauseMs);
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(3));
        return best;
    }

    /// <summary>Waits (bounded) until the policy has learned at least this many events.</summary>
    public async Task WaitLearnedAsync(long events)
    {
        for (var i = 0; i < 600; i++)
        {
            if ((await client.GetPolicyAsync(policy)).EventsLearned >= events)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"policy {policy} did not learn {events} events");
    }
}
