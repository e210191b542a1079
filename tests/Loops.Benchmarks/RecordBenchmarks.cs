using System.Text;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Feedback;
using Microsoft.Extensions.Logging.Abstractions;

namespace Loops.Benchmarks;

/// <summary>
/// The embedded store's share of a logged Decide: journaling an encoded decision, adding it to the pending state and
/// waiting for its batch to be written, as the service does once per Decide. Decisions are recorded 128 at a time, the
/// requests in flight under the load script's <c>h2load -c 4 -m 32</c>, so the writer batches them as it does under
/// load. Their windows stay open for the whole run: the pending state grows as in the first minute of a load test.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(10)]
[InvocationCount(512)]
public class RecordBenchmarks
{
    private const int InFlight = 128;

    // The event id is the decision's first field: every recorded copy gets its own by rewriting these digits in place.
    private const string IdPrefix = "bench-";
    private const int IdDigits = 12;

    private readonly Task<DecideResponse>[] _recorded = new Task<DecideResponse>[InFlight];
    private readonly DecisionEvent[] _decisions = new DecisionEvent[InFlight];
    private readonly byte[][] _encoded = new byte[InFlight][];
    private readonly DecideResponse _response = new() { ActionId = "offer-3", Probability = 0.91 };
    private string _directory = null!;
    private EmbeddedFeedbackStore _store = null!;
    private long _next;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "loops-record-benchmark-" + Guid.NewGuid().ToString("N"));
        _store = new EmbeddedFeedbackStore(
            new EmbeddedFeedbackStoreOptions { DataDirectory = _directory }, TimeProvider.System, NullLogger<EmbeddedFeedbackStore>.Instance);
        for (var slot = 0; slot < InFlight; slot++)
        {
            _decisions[slot] = Decision(new Random(slot));
            _encoded[slot] = _decisions[slot].ToByteArray();
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Records 128 decisions and waits until all are written; per decision.</summary>
    [Benchmark(OperationsPerInvoke = InFlight)]
    public async Task RecordDecision()
    {
        for (var slot = 0; slot < InFlight; slot++)
        {
            var decision = _decisions[slot];
            decision.EventId = IdPrefix + (++_next).ToString("D" + IdDigits, System.Globalization.CultureInfo.InvariantCulture);
            Encoding.ASCII.GetBytes(decision.EventId, _encoded[slot].AsSpan(2, IdPrefix.Length + IdDigits));
            _recorded[slot] = _store.RecordDecisionOnceAsync(decision, _encoded[slot], _response, CancellationToken.None).AsTask();
        }

        await Task.WhenAll(_recorded);
    }

    // A decision of the load script's shape: 20 context features, 10 actions with 2 features each.
    private static DecisionEvent Decision(Random random)
    {
        var now = DateTimeOffset.UtcNow;
        var decision = new DecisionEvent
        {
            EventId = IdPrefix + new string('0', IdDigits),
            Policy = "load-test",
            UserId = "load-user",
            TimestampUnixMs = now.ToUnixTimeMilliseconds(),
            JoinDeadlineUnixMs = now.AddDays(1).ToUnixTimeMilliseconds(),
            ChosenIndex = 3,
        };
        for (var i = 0; i < 20; i++)
        {
            decision.Context.Add(i % 4 == 0
                ? new Feature { Namespace = "player", Name = $"category{i}", Category = $"value{random.Next(7)}" }
                : new Feature { Namespace = "player", Name = $"score{i}", Number = random.NextDouble() * 30 });
        }

        foreach (var action in SyntheticDecision.Actions())
        {
            decision.Actions.Add(action);
            decision.Probabilities.Add(0.1);
            decision.Scores.Add(random.NextDouble());
        }

        return decision;
    }
}
