namespace Loops.Constraints;

/// <summary>A validated global budget per period (periods aligned to the Unix epoch), optionally paced.</summary>
/// <param name="Amount">The spend allowed per period.</param>
/// <param name="Period">The period.</param>
/// <param name="Pacing">Whether spend is held to the elapsed share of the period.</param>
/// <param name="BurstShare">The head start of pacing, as a share of the amount.</param>
public sealed record BudgetLimit(double Amount, TimeSpan Period, bool Pacing, double BurstShare)
{
    /// <summary>The burst share used when none is given.</summary>
    public const double DefaultBurstShare = 0.005;
}
