using Loops.Simulation.World;

namespace Loops.Simulation.Strategies;

/// <summary>The same action for everyone (the best on average, found with hindsight from the true responses).</summary>
internal sealed class FixedStrategy(int action) : IStrategy
{
    public bool LearnsFromContext => false;

    public int Choose(SimContext context, ReadOnlySpan<double> expectedNet, out double probability)
    {
        probability = 1;
        return action;
    }

    public void Learn(SimContext context, int action, double probability, double reward)
    {
    }
}
