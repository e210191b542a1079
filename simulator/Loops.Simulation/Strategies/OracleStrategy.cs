using Loops.Simulation.World;

namespace Loops.Simulation.Strategies;

/// <summary>Knows the true expected net value of every action for every player: the benchmark of regret.</summary>
internal sealed class OracleStrategy : IStrategy
{
    public bool LearnsFromContext => false;

    public static int Best(ReadOnlySpan<double> expectedNet)
    {
        var best = 0;
        for (var a = 1; a < expectedNet.Length; a++)
        {
            if (expectedNet[a] > expectedNet[best])
            {
                best = a;
            }
        }

        return best;
    }

    public int Choose(SimContext context, ReadOnlySpan<double> expectedNet, out double probability)
    {
        probability = 1;
        return Best(expectedNet);
    }

    public void Learn(SimContext context, int action, double probability, double reward)
    {
    }
}
