using Loops.Simulation.Running;
using Loops.Simulation.Strategies;

namespace Loops.Simulation.Reporting;

/// <summary>The summary of a run: the setting, and every strategy's totals with intervals over the seeds.</summary>
internal sealed record ExperimentSummary(
    string Scenario,
    string Mode,
    int Horizon,
    int DecisionsPerDay,
    int Seeds,
    ulong BaseSeed,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Personas,
    string BestFixedAction,
    IReadOnlyList<StrategySummary> Strategies,
    string? BestLoopsStrategy)
{
    public static ExperimentSummary Build(ExperimentResult result)
    {
        var scenario = result.Scenario;
        var strategies = result.Options.Strategies;
        var abIndex = strategies.ToList().FindIndex(s => s.Kind == StrategyKind.AbTest);
        var summaries = new List<StrategySummary>();
        for (var s = 0; s < strategies.Count; s++)
        {
            var runs = result.ByStrategy[s];
            Interval Over(Func<RunMetrics, double> metric) => Interval.Of(runs.Select(r => metric(r.Metrics)).ToList());
            Interval? versusAbTest = abIndex >= 0 && abIndex != s
                ? Interval.Of(runs.Select((r, i) => r.Metrics.TotalNet - result.ByStrategy[abIndex][i].Metrics.TotalNet).ToList())
                : null;
            var actionShares = Enumerable.Range(0, scenario.Actions.Count)
                .Select(a => runs.Average(r => r.Metrics.ActionCounts[a] / (double)r.Metrics.TotalDecisions))
                .ToList();
            summaries.Add(new StrategySummary(
                strategies[s].Name,
                strategies[s].Kind.ToString(),
                Over(m => m.TotalNet),
                Over(m => m.TotalNet / m.TotalDecisions),
                Over(m => m.TotalRegret),
                Over(m => m.TotalSpend),
                Over(m => m.TotalConversions / (double)m.TotalDecisions),
                Over(m => m.TotalBestChosen / (double)m.TotalDecisions),
                actionShares,
                versusAbTest,
                AbTestOf(runs, scenario.Actions.Count, scenario.Traffic.DecisionsPerDay)));
        }

        var bestLoops = summaries.Where((_, i) => strategies[i].Kind == StrategyKind.Loops)
            .OrderByDescending(s => s.NetValue.Mean)
            .Select(s => s.Name)
            .FirstOrDefault();
        return new ExperimentSummary(
            scenario.Name,
            result.Options.Live is null ? "in-process" : "live",
            result.Horizon,
            scenario.Traffic.DecisionsPerDay,
            result.Options.Seeds,
            result.Options.BaseSeed,
            scenario.Actions.Select(a => a.Id).ToList(),
            scenario.Personas.Select(p => p.Name).ToList(),
            scenario.Actions[result.BestFixedAction].Id,
            summaries,
            bestLoops);
    }

    private static AbTestSummary? AbTestOf(IReadOnlyList<RunResult> runs, int actionCount, int decisionsPerDay)
    {
        var outcomes = runs.Select(r => r.AbTest).OfType<AbTestOutcome>().ToList();
        if (outcomes.Count == 0)
        {
            return null;
        }

        var winners = new int[actionCount];
        foreach (var outcome in outcomes.Where(o => o.Winner >= 0))
        {
            winners[outcome.Winner]++;
        }

        var stopped = outcomes.Where(o => o.StoppedAtStep >= 0).ToList();
        return new AbTestSummary(
            stopped.Count > 0 ? stopped.Average(o => o.StoppedAtStep) / decisionsPerDay : double.NaN,
            outcomes.Count(o => o.Significant) / (double)outcomes.Count,
            winners);
    }
}
