using Loops.Simulation.World;

namespace Loops.Simulation.Strategies;

/// <summary>
/// A way of choosing actions: picks an action (with the probability it had) for each arriving player, and learns
/// from the outcome of each decision once its reward window has closed.
/// </summary>
internal interface IStrategy
{
    /// <summary>True when <see cref="Learn"/> reads the context; otherwise the runner passes the context unfilled.</summary>
    bool LearnsFromContext { get; }

    /// <summary>Chooses an action.</summary>
    /// <param name="context">The arriving player.</param>
    /// <param name="expectedNet">The true expected net value of each action (only the oracle may read it).</param>
    /// <param name="probability">The probability with which the chosen action was drawn.</param>
    /// <returns>The index of the chosen action.</returns>
    int Choose(SimContext context, ReadOnlySpan<double> expectedNet, out double probability);

    /// <summary>Learns from the outcome of an earlier decision, as observed when its reward window closed.</summary>
    void Learn(SimContext context, int action, double probability, double reward);
}
