namespace Loops.Simulation.Running;

/// <summary>The outcome of one strategy on one seed.</summary>
internal sealed record RunResult(string Strategy, int SeedIndex, ulong Seed, RunMetrics Metrics, AbTestOutcome? AbTest);
