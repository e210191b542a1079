using Loops.Core.Evaluation;

namespace Loops.Evaluation.Tests;

/// <summary>
/// A contextual bandit with known truth: a few discrete contexts drawn uniformly, Bernoulli rewards with known means,
/// a stochastic logging policy and a target policy whose exact value is known.
/// </summary>
internal sealed class SyntheticBandit
{
    public const int Contexts = 20;
    public const int Actions = 5;

    private readonly double[][] _means = new double[Contexts][];
    private readonly double[][] _logging = new double[Contexts][];
    private readonly double[][] _target = new double[Contexts][];

    public SyntheticBandit(int problemSeed)
    {
        var random = new Random(problemSeed);
        for (int x = 0; x < Contexts; x++)
        {
            _means[x] = [.. Enumerable.Range(0, Actions).Select(_ => 0.1 + (0.8 * random.NextDouble()))];

            // Softmax of random scores mixed with 20% uniform: every action keeps at least 0.04.
            var scores = Enumerable.Range(0, Actions).Select(_ => Math.Exp(2 * random.NextDouble())).ToArray();
            _logging[x] = [.. scores.Select(s => (0.8 * s / scores.Sum()) + (0.2 / Actions))];

            // The target is ε-greedy (ε = 0.1) on the true means: far from the logger where the logger is wrong.
            int best = Array.IndexOf(_means[x], _means[x].Max());
            _target[x] = [.. Enumerable.Range(0, Actions).Select(a => (0.1 / Actions) + (a == best ? 0.9 : 0))];
        }

        TrueValue = Enumerable.Range(0, Contexts).Average(x => Enumerable.Range(0, Actions).Sum(a => _target[x][a] * _means[x][a]));
    }

    /// <summary>The target policy's exact expected reward.</summary>
    public double TrueValue { get; }

    /// <summary>
    /// Logs <paramref name="count"/> events of the logging policy. The reward model is the truth plus uniform noise of
    /// ±<paramref name="modelNoise"/>, fixed per context and action for this draw.
    /// </summary>
    public EvaluationSample[] Log(int seed, int count, double modelNoise)
    {
        var random = new Random(seed);
        var model = _means.Select(row => row.Select(m => m + (modelNoise * ((2 * random.NextDouble()) - 1))).ToArray()).ToArray();
        var samples = new EvaluationSample[count];
        for (int i = 0; i < count; i++)
        {
            int x = random.Next(Contexts);
            int a = Draw(_logging[x], random.NextDouble());
            double reward = random.NextDouble() < _means[x][a] ? 1 : 0;
            samples[i] = EvaluationSample.FromDistributions(a, _logging[x][a], reward, _target[x], model[x], _logging[x]);
        }

        return samples;
    }

    private static int Draw(double[] probabilities, double uniform)
    {
        double cumulative = 0;
        for (int a = 0; a < probabilities.Length - 1; a++)
        {
            cumulative += probabilities[a];
            if (uniform < cumulative)
            {
                return a;
            }
        }

        return probabilities.Length - 1;
    }
}
