using System.Diagnostics;
using System.Globalization;
using Loops.Client;
using Loops.Contracts.V1;

// Usage: RewardStreamLoad <service url> [streams, default 4] [rewards per stream, default 250000]
// Sends rewards (each with a reward id) over concurrent RewardStream calls and prints the rate the service
// acknowledged them at: every reward is durable (in Redis, or the spool) when its stream's answer arrives.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: RewardStreamLoad <service url> [streams] [rewards per stream]");
    return 2;
}

var target = new Uri(args[0]);
var streams = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
var perStream = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 250_000;
using var client = new LoopsClient(target, new LoopsClientOptions { Timeout = TimeSpan.FromMinutes(10) });

async Task<long> SendAsync(int stream)
{
    using var call = client.StartRewardStream();
    for (var i = 0; i < perStream; i++)
    {
        var eventId = string.Create(CultureInfo.InvariantCulture, $"s{stream}-{i}");
        await call.WriteAsync(new RewardRequest { EventId = eventId, Value = 1, RewardId = "r" });
    }

    return (await call.CompleteAsync()).Accepted;
}

var watch = Stopwatch.StartNew();
var accepted = (await Task.WhenAll(Enumerable.Range(0, streams).Select(SendAsync))).Sum();
watch.Stop();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{accepted} rewards acknowledged over {streams} RewardStream calls in {watch.Elapsed.TotalSeconds:F1} s: {accepted / watch.Elapsed.TotalSeconds:F0} rewards/s"));
return 0;
