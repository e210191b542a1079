namespace Loops.Simulation.Reporting;

/// <summary>One strategy's results over the seeds: totals per run, each as a mean with a 95% interval.</summary>
internal sealed record StrategySummary(
    string Name,
    string Kind,
    Interval NetValue,
    Interval NetValuePerDecision,
    Interval Regret,
    Interval BonusSpend,
    Interval ConversionRate,
    Interval ShareOfBestAction,
    IReadOnlyList<double> ActionShares,
    Interval? NetValueVersusAbTest,
    AbTestSummary? AbTest);
