namespace Loops.Simulation.Scenarios;

/// <summary>
/// The A/B-test-then-commit baseline: traffic is split evenly across all actions; at each of <see cref="Looks"/>
/// evenly spaced looks the leader (highest observed mean net value) is tested against every other arm with a
/// two-sided Welch z-test at level α / (Looks × (K − 1)) (Bonferroni over looks and comparisons, so the chance of
/// any false winner stays below α). The test stops at the first look where the leader beats every arm, or after
/// <see cref="MaxDays"/>; then all traffic goes to the leader.
/// </summary>
public sealed record AbTestSpec
{
    /// <summary>The family-wise error rate.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>The number of planned looks.</summary>
    public int Looks { get; init; } = 10;

    /// <summary>The longest test in days; 0 means half of the horizon.</summary>
    public double MaxDays { get; init; }
}
