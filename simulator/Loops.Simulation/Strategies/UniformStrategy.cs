using Loops.Simulation.World;

namespace Loops.Simulation.Strategies;

/// <summary>Every action with equal probability, whoever the player: the cost of knowing nothing.</summary>
internal sealed class UniformStrategy(int actionCount, ulong seed) : IStrategy
{
    public bool LearnsFromContext => false;

    public int Choose(SimContext context, ReadOnlySpan<double> expectedNet, out double probability)
    {
        probability = 1.0 / actionCount;
        return Math.Min(actionCount - 1, (int)(CounterRandom.Uniform(seed, context.Step, RandomStream.Strategy) * actionCount));
    }

    public void Learn(SimContext context, int action, double probability, double reward)
    {
    }
}
