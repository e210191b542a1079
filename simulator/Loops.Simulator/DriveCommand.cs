using System.CommandLine;
using Loops.Client;
using Loops.Contracts.V1;

namespace Loops.Simulator;

/// <summary>
/// <c>drive</c>: creates a policy on a live service and plays synthetic players against it, reporting the share of
/// best actions per block of decisions as the policy learns.
/// </summary>
internal static class DriveCommand
{
    public static Command Create()
    {
        var target = TargetOption.Create();
        var policy = new Option<string>("--policy") { Description = "The policy to create and use.", DefaultValueFactory = _ => "welcome-bonus" };
        var decisions = new Option<int>("--decisions") { Description = "How many decisions to make.", DefaultValueFactory = _ => 3000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Parallel players.", DefaultValueFactory = _ => 8 };
        var epsilon = new Option<double>("--epsilon") { Description = "The policy's exploration share.", DefaultValueFactory = _ => 0.1 };
        var window = new Option<double>("--window") { Description = "The reward window in seconds.", DefaultValueFactory = _ => 1 };
        var pause = new Option<int>("--pause-ms") { Description = "Pause of each player between decisions.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "The seed of the synthetic players.", DefaultValueFactory = _ => 1 };
        var command = new Command("drive", "Play synthetic players of two segments against a live service and report how the policy learns.")
        {
            target, policy, decisions, concurrency, epsilon, window, pause, seed,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetRequiredValue(target),
            result.GetRequiredValue(policy),
            result.GetValue(decisions),
            result.GetValue(concurrency),
            result.GetValue(epsilon),
            result.GetValue(window),
            result.GetValue(pause),
            result.GetValue(seed),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        Uri target, string policyName, int decisions, int concurrency, double epsilon, double window, int pauseMs, int seed,
        CancellationToken cancellationToken)
    {
        using var client = new LoopsClient(target);
        await client.UpsertPolicyAsync(new Policy { Name = policyName, Epsilon = epsilon, RewardWindowSeconds = window }, cancellationToken);
        var best = new bool[decisions];
        var next = -1;
        var players = Enumerable.Range(0, concurrency).Select(worker => Task.Run(
            async () =>
            {
                var scenario = new SegmentScenario(seed * 1000 + worker);
                int index;
                while ((index = Interlocked.Increment(ref next)) < decisions)
                {
                    var (request, segment) = scenario.NextPlayer(policyName, index);
                    var response = await client.DecideAsync(request, cancellationToken);
                    best[index] = SegmentScenario.IsBest(segment, response.ActionId);
                    if (scenario.Converts(best[index]))
                    {
                        await client.RewardAsync(response.EventId, 1, cancellationToken);
                    }

                    await Task.Delay(pauseMs, cancellationToken);
                }
            },
            cancellationToken));
        await Task.WhenAll(players);

        const int block = 500;
        Console.WriteLine("decisions        share of best action");
        for (var start = 0; start < decisions; start += block)
        {
            var end = Math.Min(decisions, start + block);
            var share = best[start..end].Average(b => b ? 1.0 : 0.0);
            Console.WriteLine($"{start + 1,6} - {end,-6}  {share:F3}");
        }

        var learned = await client.GetPolicyAsync(policyName, cancellationToken);
        Console.WriteLine($"model version {learned.ModelVersion}, {learned.EventsLearned} events learned");
        return 0;
    }
}
