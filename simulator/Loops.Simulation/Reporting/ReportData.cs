using System.Text.Json.Serialization;
using Loops.Simulation.Running;

namespace Loops.Simulation.Reporting;

/// <summary>The data the HTML report plots: the summary, and per strategy its curves averaged over the seeds.</summary>
internal sealed record ReportData(
    [property: JsonPropertyName("scenario")] string Scenario,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("horizon")] int Horizon,
    [property: JsonPropertyName("days")] double Days,
    [property: JsonPropertyName("seeds")] int Seeds,
    [property: JsonPropertyName("bestFixedAction")] string BestFixedAction,
    [property: JsonPropertyName("personas")] IReadOnlyList<string> Personas,
    [property: JsonPropertyName("days_axis")] IReadOnlyList<double> DaysAxis,
    [property: JsonPropertyName("strategies")] IReadOnlyList<StrategyCurves> Strategies)
{
    public static ReportData Build(ExperimentResult result, ExperimentSummary summary)
    {
        var bucketCount = result.ByStrategy[0][0].Metrics.BucketCount;
        var perDay = (double)result.Scenario.Traffic.DecisionsPerDay;
        var axis = Enumerable.Range(0, bucketCount)
            .Select(b => Math.Round(Math.Min(result.Horizon, (b + 1) * result.BucketSize) / perDay, 4))
            .ToList();
        var strategies = summary.Strategies.Select((s, i) => StrategyCurves.Build(s, result.ByStrategy[i], summary.Personas.Count)).ToList();
        return new ReportData(
            summary.Scenario,
            result.Scenario.Description,
            summary.Mode,
            summary.Horizon,
            Math.Round(summary.Horizon / perDay, 2),
            summary.Seeds,
            summary.BestFixedAction,
            summary.Personas,
            axis,
            strategies);
    }
}
