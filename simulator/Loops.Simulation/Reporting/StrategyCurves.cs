using System.Text.Json.Serialization;
using Loops.Simulation.Running;

namespace Loops.Simulation.Reporting;

/// <summary>One strategy in the HTML report: its summary intervals and its curves, each point a mean over seeds.</summary>
internal sealed record StrategyCurves(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("netValue")] IntervalData NetValue,
    [property: JsonPropertyName("netValueMinusAbTest")] IntervalData? NetValueMinusAbTest,
    [property: JsonPropertyName("regret")] IntervalData Regret,
    [property: JsonPropertyName("bonusSpend")] IntervalData BonusSpend,
    [property: JsonPropertyName("conversionRate")] IntervalData ConversionRate,
    [property: JsonPropertyName("shareOfBestAction")] IntervalData ShareOfBestAction,
    [property: JsonPropertyName("cumulativeNet")] IReadOnlyList<double> CumulativeNet,
    [property: JsonPropertyName("cumulativeRegret")] IReadOnlyList<double> CumulativeRegret,
    [property: JsonPropertyName("cumulativeSpend")] IReadOnlyList<double> CumulativeSpend,
    [property: JsonPropertyName("shareBestByPersona")] IReadOnlyList<IReadOnlyList<double?>> ShareBestByPersona)
{
    public static StrategyCurves Build(StrategySummary summary, IReadOnlyList<RunResult> runs, int personaCount)
    {
        var buckets = runs[0].Metrics.BucketCount;
        IReadOnlyList<double> Cumulative(Func<RunMetrics, double[]> pick)
        {
            var curve = new double[buckets];
            var running = 0.0;
            for (var b = 0; b < buckets; b++)
            {
                running += runs.Average(r => pick(r.Metrics)[b]);
                curve[b] = Math.Round(running, 2);
            }

            return curve;
        }

        var shares = Enumerable.Range(0, personaCount).Select(p => (IReadOnlyList<double?>)Enumerable.Range(0, buckets).Select(b =>
        {
            var decisions = runs.Sum(r => r.Metrics.PersonaDecisions[b, p]);
            return decisions == 0 ? (double?)null : Math.Round(runs.Sum(r => r.Metrics.BestChosen[b, p]) / (double)decisions, 4);
        }).ToList()).ToList();

        return new StrategyCurves(
            summary.Name,
            summary.Kind,
            IntervalData.Of(summary.NetValue),
            summary.NetValueVersusAbTest is { } versus ? IntervalData.Of(versus) : null,
            IntervalData.Of(summary.Regret),
            IntervalData.Of(summary.BonusSpend),
            IntervalData.Of(summary.ConversionRate),
            IntervalData.Of(summary.ShareOfBestAction),
            Cumulative(m => m.Net),
            Cumulative(m => m.Regret),
            Cumulative(m => m.Spend),
            shares);
    }
}
