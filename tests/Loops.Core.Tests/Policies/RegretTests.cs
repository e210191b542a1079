using Loops.Contracts.V1;
using Loops.Core.Policies;
using Xunit.Abstractions;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Core.Tests.Policies;

public sealed class RegretTests(ITestOutputHelper output)
{
    private const int Rounds = 20_000;
    private const int ActionCount = 10;
    private const int FeatureCount = 20;

    [Fact]
    public void Uncertainty_driven_explorers_beat_epsilon_greedy_on_a_linear_problem()
    {
        double epsilonGreedy = Regret(BanditAlgorithm.EpsilonGreedy, new ExplorationSettings { Epsilon = 0.1 });
        double linUcb = Regret(BanditAlgorithm.LinUcb, new ExplorationSettings { Epsilon = 0 });
        double thompson = Regret(BanditAlgorithm.Thompson, new ExplorationSettings { Epsilon = 0 });
        double squareCb = Regret(BanditAlgorithm.SquareCb, new ExplorationSettings { Epsilon = 0 });

        string figures = $"cumulative regret: epsilon-greedy(0.1) {epsilonGreedy:F0}, linucb {linUcb:F0}, thompson {thompson:F0}, squarecb {squareCb:F0}";
        output.WriteLine(figures);
        Assert.True(linUcb < epsilonGreedy, figures);
        Assert.True(thompson < epsilonGreedy, figures);
        Assert.True(squareCb < epsilonGreedy, figures);
    }

    /// <summary>
    /// A linear bandit: each round every action gets 20 fresh numeric features z ~ N(0, 1), and its expected reward
    /// is θ·z with one fixed θ (‖θ‖ = 1), observed with N(0, 0.5²) noise. The regret of a round is the best expected
    /// reward minus the chosen action's. Fixed seeds: the problem and the policy's draws are the same in every run.
    /// </summary>
    private static double Regret(BanditAlgorithm algorithm, ExplorationSettings exploration)
    {
        var policy = BanditPolicy.Create(
            new BanditModelSettings { Algorithm = algorithm, LinearBits = 8, Learner = new LearnerSettings { Bits = 16 } },
            exploration);
        var problem = new Random(2024);
        double[] theta = Enumerable.Range(0, FeatureCount).Select(_ => Normal(problem)).ToArray();
        double norm = Math.Sqrt(theta.Sum(t => t * t));
        theta = theta.Select(t => t / norm).ToArray();

        var noise = new Random(7);
        var actions = Enumerable.Range(0, ActionCount).Select(a => new Action { Id = $"action-{a}" }).ToArray();
        var means = new double[ActionCount];
        var scores = new double[ActionCount];
        var probabilities = new double[ActionCount];
        var allowed = Enumerable.Repeat(true, ActionCount).ToArray();
        double regret = 0;
        for (int round = 0; round < Rounds; round++)
        {
            for (int a = 0; a < ActionCount; a++)
            {
                actions[a].Features.Clear();
                double mean = 0;
                for (int f = 0; f < FeatureCount; f++)
                {
                    double value = Normal(problem);
                    mean += theta[f] * value;
                    actions[a].Features.Add(new Feature { Namespace = "offer", Name = $"f{f}", Number = value });
                }

                means[a] = mean;
            }

            using var features = DecisionFeatures.Encode([], actions);
            ulong seed = Sampling.SeedOf($"event-{round}");
            policy.Decide(features, allowed, seed, scores, probabilities);
            int chosen = Sampling.Sample(probabilities, seed);
            regret += means.Max() - means[chosen];
            policy.Learn(features, chosen, means[chosen] + (0.5 * Normal(noise)), probabilities[chosen]);
        }

        return regret;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
