namespace Loops.Simulation.Reporting;

/// <summary>How the A/B tests ended over the seeds: mean stopping day, share stopped on a significant result, winners.</summary>
internal sealed record AbTestSummary(double MeanStopDay, double SignificantShare, IReadOnlyList<int> WinnerCounts);
