using System.CommandLine;
using Google.Protobuf;
using Loops.Client;
using Loops.Contracts.V1;
using Loops.Grpc;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Simulator;

/// <summary>
/// <c>load-fixture</c>: creates the load-test policy on a live service and writes pre-encoded gRPC request bodies
/// (a Decide request and an Echo of the same size) for an HTTP/2 load generator such as h2load.
/// </summary>
internal static class LoadFixtureCommand
{
    public static Command Create()
    {
        var target = TargetOption.Create();
        var output = new Option<DirectoryInfo>("--out") { Description = "Where to write decide.bin and echo.bin.", Required = true };
        var actions = new Option<int>("--actions") { Description = "Candidate actions per request.", DefaultValueFactory = _ => 10 };
        var contextFeatures = new Option<int>("--context-features") { Description = "Context features per request.", DefaultValueFactory = _ => 20 };
        var window = new Option<int>("--reward-window")
        {
            Description = "The policy's reward window in seconds: shorter than a run, and joins and learning run during it.",
            DefaultValueFactory = _ => 60,
        };
        var command = new Command("load-fixture", "Create the 'load-test' policy and write pre-encoded request bodies for h2load.")
        {
            target, output, actions, contextFeatures, window,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetRequiredValue(target),
            result.GetRequiredValue(output),
            result.GetValue(actions),
            result.GetValue(contextFeatures),
            result.GetValue(window),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        Uri target, DirectoryInfo output, int actionCount, int contextCount, int windowSeconds, CancellationToken cancellationToken)
    {
        using var client = new LoopsClient(target);
        await client.UpsertPolicyAsync(
            new Policy { Name = "load-test", Epsilon = 0.1, RewardWindowSeconds = windowSeconds }, cancellationToken);
        var request = new DecideRequest { Policy = "load-test", UserId = "load-user" };
        for (var i = 0; i < contextCount; i++)
        {
            request.Context.Add(i % 4 == 0
                ? new Feature { Namespace = "player", Name = $"category{i}", Category = $"value{i % 7}" }
                : new Feature { Namespace = "player", Name = $"score{i}", Number = i * 1.5 });
        }

        for (var a = 0; a < actionCount; a++)
        {
            var action = new Action { Id = $"offer-{a}", Cost = a };
            action.Features.Add(new Feature { Namespace = "offer", Name = "amount", Number = 5 * (a + 1) });
            action.Features.Add(new Feature { Namespace = "offer", Name = "kind", Category = a % 2 == 0 ? "cash" : "spins" });
            request.Actions.Add(action);
        }

        // Check the request is accepted before a load generator repeats it.
        await client.DecideAsync(request, cancellationToken);
        output.Create();
        var echo = new EchoMessage { Payload = ByteString.CopyFrom(new byte[request.CalculateSize()]) };
        await File.WriteAllBytesAsync(Path.Combine(output.FullName, "decide.bin"), MessageFraming.ToFrame(request), cancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(output.FullName, "echo.bin"), MessageFraming.ToFrame(echo), cancellationToken);
        Console.WriteLine($"wrote decide.bin ({request.CalculateSize()} bytes: {contextCount} context features, {actionCount} actions) and echo.bin to {output.FullName}");
        return 0;
    }
}
