namespace Loops.Simulation.Strategies;

/// <summary>The kinds of strategies a run compares.</summary>
public enum StrategyKind
{
    /// <summary>Every action equally likely.</summary>
    Uniform,

    /// <summary>The best single action on average (with hindsight).</summary>
    BestFixed,

    /// <summary>A/B test, then commit to the winner.</summary>
    AbTest,

    /// <summary>The true best action for every player.</summary>
    Oracle,

    /// <summary>A Loops policy, learning with the product's own code.</summary>
    Loops,
}
