using BenchmarkDotNet.Attributes;
using Loops.Contracts.V1;
using Loops.Core;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Benchmarks;

/// <summary>The in-process cost of one decision and of one learning update, 10 actions × 50 context features.</summary>
[MemoryDiagnoser]
public class DecideBenchmarks
{
    private const string EventId = "2f1c9a7e-5b3d-4e8f-9a01-6c7d8e9f0a1b";

    private readonly double[] scores = new double[SyntheticDecision.ActionCount];
    private readonly double[] probabilities = new double[SyntheticDecision.ActionCount];
    private readonly bool[] allowed = Enumerable.Repeat(true, SyntheticDecision.ActionCount).ToArray();
    private LinearRewardModel model = null!;
    private Feature[] context = null!;
    private Action[] actions = null!;
    private DecisionFeatures encoded = null!;
    private int learnRound;

    [Params(true, false)]
    public bool Interactions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        model = new LinearRewardModel(new LearnerSettings { Interactions = Interactions });
        actions = SyntheticDecision.Actions();

        // Train on varied contexts first, so predictions read a realistically filled weight table.
        for (int round = 0; round < 2000; round++)
        {
            using var features = DecisionFeatures.Encode(SyntheticDecision.Context(random), actions);
            int chosen = random.Next(SyntheticDecision.ActionCount);
            model.Learn(features, chosen, random.NextDouble() < 0.3 ? 1 : 0, 0.1);
        }

        context = SyntheticDecision.Context(random);
        encoded = DecisionFeatures.Encode(context, actions);
    }

    [GlobalCleanup]
    public void Cleanup() => encoded.Dispose();

    /// <summary>Encode + Predict + EpsilonGreedy + Sample: everything Decide does in process.</summary>
    [Benchmark]
    public int Decide()
    {
        using var features = DecisionFeatures.Encode(context, actions);
        model.Predict(features, scores);
        Exploration.EpsilonGreedy(scores, allowed, 0.1, probabilities);
        return Sampling.Sample(probabilities, Sampling.SeedOf(EventId));
    }

    [Benchmark]
    public int Encode()
    {
        using var features = DecisionFeatures.Encode(context, actions);
        return features.ActionCount;
    }

    [Benchmark]
    public double Predict()
    {
        model.Predict(encoded, scores);
        return scores[0];
    }

    [Benchmark]
    public long Learn()
    {
        int round = learnRound++;
        model.Learn(encoded, round % SyntheticDecision.ActionCount, round % 3 == 0 ? 1 : 0, 0.1);
        return model.Updates;
    }
}
