using Loops.Simulation.World;

namespace Loops.Simulation.Strategies;

/// <summary>Creates the strategy of a spec for one seed of one run.</summary>
internal sealed class StrategyFactory(ScenarioEnvironment environment)
{
    private readonly Lazy<int> _bestFixed = new(() => BestFixedAction.Find(environment));

    /// <summary>The action the best-fixed strategy gives everyone.</summary>
    public int BestFixed => _bestFixed.Value;

    public IStrategy Create(StrategySpec spec, ulong seed)
    {
        var abTest = environment.Scenario.AbTest;
        return spec.Kind switch
        {
            StrategyKind.Uniform => new UniformStrategy(environment.ActionCount, seed),
            StrategyKind.BestFixed => new FixedStrategy(BestFixed),
            StrategyKind.Oracle => new OracleStrategy(),
            StrategyKind.AbTest => new AbTestStrategy(
                abTest,
                environment.ActionCount,
                abTest.MaxDays > 0 ? (int)(abTest.MaxDays * environment.Scenario.Traffic.DecisionsPerDay) : environment.Horizon / 2,
                seed),
            _ => new LoopsStrategy(spec.Policy!, environment, seed),
        };
    }
}
