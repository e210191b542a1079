using Loops.Simulation.Live;
using Loops.Simulation.Strategies;

namespace Loops.Simulation.Running;

/// <summary>What a run compares, on how many seeds, and where the Loops strategies run.</summary>
public sealed record ExperimentOptions
{
    /// <summary>The strategies to compare.</summary>
    public required IReadOnlyList<StrategySpec> Strategies { get; init; }

    /// <summary>How many seeds; seed i is <see cref="BaseSeed"/> + i.</summary>
    public int Seeds { get; init; } = 5;

    /// <summary>The first seed.</summary>
    public ulong BaseSeed { get; init; } = 1;

    /// <summary>How many points the per-step metrics have (steps are summed into this many buckets).</summary>
    public int Points { get; init; } = 200;

    /// <summary>Overrides the scenario's horizon in days (e.g. for quick runs); null keeps it.</summary>
    public double? Days { get; init; }

    /// <summary>Parallel runs in-process; default the number of cores.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>When set, the Loops strategies run on this live service instead of in-process.</summary>
    public LiveOptions? Live { get; init; }
}
