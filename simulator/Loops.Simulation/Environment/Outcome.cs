namespace Loops.Simulation.World;

/// <summary>What one decision brought: whether the player converted, the revenue, the bonus paid and when it is known.</summary>
internal readonly record struct Outcome(bool Converted, double Revenue, double Cost, int DelaySteps)
{
    /// <summary>Revenue minus bonus cost: what the business keeps, and the reward Loops policies learn from.</summary>
    public double Net => Revenue - Cost;
}
