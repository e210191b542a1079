namespace Loops.Constraints;

/// <summary>What a policy maximises.</summary>
public enum Objective
{
    /// <summary>The predicted reward.</summary>
    Reward,

    /// <summary>The predicted reward minus the action's cost.</summary>
    NetValue,
}
