namespace Loops.Simulation.Running;

/// <summary>How an A/B test ended: when, on which action, and whether on a significant result.</summary>
internal sealed record AbTestOutcome(int StoppedAtStep, int Winner, bool Significant);
