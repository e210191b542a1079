using System.Diagnostics;
using System.Globalization;
using Loops.Client;
using Loops.Contracts.V1;

// Usage: RewardStreamLoad <service url> [streams, default 4] [rewards per stream, default 250000] [--decide]
// Sends rewards (each with a reward id) over concurrent RewardStream calls and prints the rate the service
// acknowledged them at: every reward is durable (in Redis, or the spool) when its stream's answer arrives.
// The event ids are the same in every run; unless decided before, they are unknown to the service and every reward
// waits as an orphan. --decide makes a decision for each of them instead (and sends no reward), so that a next run
// sends rewards that find their decisions, as in production.
var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var decide = args.Contains("--decide");
if (positional.Length < 1 || args.Any(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--decide"))
{
    Console.Error.WriteLine("usage: RewardStreamLoad <service url> [streams] [rewards per stream] [--decide]");
    return 2;
}

var target = new Uri(positional[0]);
var streams = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 4;
var perStream = positional.Length > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : 250_000;
using var client = new LoopsClient(target, new LoopsClientOptions { Timeout = TimeSpan.FromMinutes(10) });
string EventId(int stream, int i) => string.Create(CultureInfo.InvariantCulture, $"s{stream}-{i}");

if (decide)
{
    await DecideAllAsync();
    return 0;
}

async Task DecideAllAsync()
{
    const string policyName = "reward-load";

    // A window long enough that no reward of the run arrives after it.
    var policy = new Policy { Name = policyName, Epsilon = 0.1, RewardWindowSeconds = 3600 };
    policy.Actions.Add(new Loops.Contracts.V1.Action { Id = "a" });
    policy.Actions.Add(new Loops.Contracts.V1.Action { Id = "b" });
    await client.UpsertPolicyAsync(policy);
    var watch = Stopwatch.StartNew();
    const int concurrency = 32;
    var next = -1;
    var total = streams * perStream;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        for (var n = Interlocked.Increment(ref next); n < total; n = Interlocked.Increment(ref next))
        {
            await client.DecideAsync(new DecideRequest { Policy = policyName, EventId = EventId(n % streams, n / streams), UserId = "u" });
        }
    }));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total} decisions made in {watch.Elapsed.TotalSeconds:F1} s"));
}

async Task<RewardStreamResponse> SendAsync(int stream)
{
    using var call = client.StartRewardStream();
    for (var i = 0; i < perStream; i++)
    {
        await call.WriteAsync(new RewardRequest { EventId = EventId(stream, i), Value = 1, RewardId = "r" });
    }

    return await call.CompleteAsync();
}

var watch = Stopwatch.StartNew();
var answers = await Task.WhenAll(Enumerable.Range(0, streams).Select(SendAsync));
watch.Stop();
var accepted = answers.Sum(a => a.Accepted);
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{accepted} rewards acknowledged over {streams} RewardStream calls in {watch.Elapsed.TotalSeconds:F1} s: {accepted / watch.Elapsed.TotalSeconds:F0} rewards/s ({answers.Sum(a => a.UnknownEvents)} for unknown events)"));
return 0;
