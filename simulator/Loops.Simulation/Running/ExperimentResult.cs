using Loops.Simulation.Scenarios;

namespace Loops.Simulation.Running;

/// <summary>Everything a run produced, ordered by strategy (as given) then by seed, whatever the order of completion.</summary>
internal sealed record ExperimentResult(
    Scenario Scenario,
    ExperimentOptions Options,
    int Horizon,
    int BucketSize,
    int BestFixedAction,
    IReadOnlyList<IReadOnlyList<RunResult>> ByStrategy);
