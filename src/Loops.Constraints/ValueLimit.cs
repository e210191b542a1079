namespace Loops.Constraints;

/// <summary>A validated per-user value cap: at most <see cref="MaxCost"/> of bonus cost per user per period (periods aligned to the Unix epoch).</summary>
/// <param name="MaxCost">The largest total cost per user per period.</param>
/// <param name="Period">The period.</param>
public sealed record ValueLimit(double MaxCost, TimeSpan Period);
