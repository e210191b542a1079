using BenchmarkDotNet.Attributes;
using Loops.Contracts.V1;
using Loops.Core;
using Loops.Core.Policies;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Benchmarks;

/// <summary>
/// Decide and learn through <see cref="BanditPolicy"/> for every algorithm, on <see cref="PolicyShape"/> (10 actions,
/// 40 context features, 11 features per action), with and without context×action interactions. Default settings
/// (18 bits, 5 bags, 128 linear dimensions), ε = 0.05.
/// </summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private const string EventId = "2f1c9a7e-5b3d-4e8f-9a01-6c7d8e9f0a1b";

    private readonly double[] scores = new double[PolicyShape.ActionCount];
    private readonly double[] probabilities = new double[PolicyShape.ActionCount];
    private readonly bool[] allowed = Enumerable.Repeat(true, PolicyShape.ActionCount).ToArray();
    private BanditPolicy policy = null!;
    private Feature[] context = null!;
    private Action[] actions = null!;
    private DecisionFeatures encoded = null!;
    private int learnRound;

    [ParamsAllValues]
    public BanditAlgorithm Algorithm { get; set; }

    [Params(true, false)]
    public bool Interactions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        policy = BanditPolicy.Create(
            new BanditModelSettings { Algorithm = Algorithm, Learner = new LearnerSettings { Interactions = Interactions } },
            new ExplorationSettings { Epsilon = 0.05 });
        actions = PolicyShape.Actions(random);

        // Train on varied contexts first, so decisions read a realistically filled model.
        for (int round = 0; round < 2000; round++)
        {
            using var features = DecisionFeatures.Encode(PolicyShape.Context(random), actions);
            policy.Learn(features, random.Next(PolicyShape.ActionCount), random.NextDouble() < 0.3 ? 25 : 0, 0.1);
        }

        context = PolicyShape.Context(random);
        encoded = DecisionFeatures.Encode(context, actions);
        Console.WriteLine($"// {Algorithm}, interactions {Interactions}: state {policy.StateBytes} bytes");
    }

    [GlobalCleanup]
    public void Cleanup() => encoded.Dispose();

    /// <summary>Encode + score 10 actions + explore + sample: everything Decide does in process.</summary>
    [Benchmark]
    public int Decide()
    {
        using var features = DecisionFeatures.Encode(context, actions);
        ulong seed = Sampling.SeedOf(EventId);
        policy.Decide(features, allowed, seed, scores, probabilities);
        return Sampling.Sample(probabilities, seed);
    }

    /// <summary>Score 10 actions + explore + sample, on an encoded decision (the hashing of the request excluded).</summary>
    [Benchmark]
    public int DecideEncoded()
    {
        ulong seed = Sampling.SeedOf(EventId);
        policy.Decide(encoded, allowed, seed, scores, probabilities);
        return Sampling.Sample(probabilities, seed);
    }

    /// <summary>One learning update (with its progressive validation) on an encoded event.</summary>
    [Benchmark]
    public long Learn()
    {
        int round = learnRound++;
        policy.Learn(encoded, round % PolicyShape.ActionCount, round % 3 == 0 ? 25 : 0, 0.1);
        return policy.Updates;
    }

    /// <summary>Encode a joined event and learn from it: what the trainer does per event.</summary>
    [Benchmark]
    public long EncodeAndLearn()
    {
        int round = learnRound++;
        using var features = DecisionFeatures.Encode(context, actions);
        policy.Learn(features, round % PolicyShape.ActionCount, round % 3 == 0 ? 25 : 0, 0.1);
        return policy.Updates;
    }
}
