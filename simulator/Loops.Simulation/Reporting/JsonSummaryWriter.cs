using System.Text.Encodings.Web;
using System.Text.Json;

namespace Loops.Simulation.Reporting;

/// <summary>
/// Writes the summary as JSON with a fixed property order, numbers rounded to 6 decimals and "\n" line ends, so the
/// same seed gives the same bytes. Timings and other run-dependent facts are deliberately left out.
/// </summary>
internal static class JsonSummaryWriter
{
    private const int Decimals = 6;

    public static byte[] ToBytes(ExperimentSummary summary)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, summary);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static async Task WriteAsync(string path, ExperimentSummary summary, CancellationToken cancellationToken) =>
        await File.WriteAllBytesAsync(path, ToBytes(summary), cancellationToken).ConfigureAwait(false);

    private static void Write(Utf8JsonWriter writer, ExperimentSummary summary)
    {
        writer.WriteStartObject();
        writer.WriteString("scenario", summary.Scenario);
        writer.WriteString("mode", summary.Mode);
        writer.WriteNumber("horizon", summary.Horizon);
        writer.WriteNumber("decisionsPerDay", summary.DecisionsPerDay);
        writer.WriteNumber("seeds", summary.Seeds);
        writer.WriteNumber("baseSeed", summary.BaseSeed);
        writer.WriteString("netValue", "revenue - bonus cost, summed over the horizon, per run; intervals are 95% Student-t over seeds");
        Strings(writer, "actions", summary.Actions);
        Strings(writer, "personas", summary.Personas);
        writer.WriteString("bestFixedAction", summary.BestFixedAction);
        if (summary.BestLoopsStrategy is { } best)
        {
            writer.WriteString("bestLoopsStrategy", best);
        }

        writer.WriteStartArray("strategies");
        foreach (var strategy in summary.Strategies)
        {
            WriteStrategy(writer, strategy, summary.Actions);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteStrategy(Utf8JsonWriter writer, StrategySummary strategy, IReadOnlyList<string> actions)
    {
        writer.WriteStartObject();
        writer.WriteString("name", strategy.Name);
        writer.WriteString("kind", strategy.Kind);
        WriteInterval(writer, "netValue", strategy.NetValue);
        WriteInterval(writer, "netValuePerDecision", strategy.NetValuePerDecision);
        WriteInterval(writer, "regret", strategy.Regret);
        WriteInterval(writer, "bonusSpend", strategy.BonusSpend);
        WriteInterval(writer, "conversionRate", strategy.ConversionRate);
        WriteInterval(writer, "shareOfBestAction", strategy.ShareOfBestAction);
        if (strategy.NetValueVersusAbTest is { } versus)
        {
            WriteInterval(writer, "netValueMinusAbTest", versus);
        }

        writer.WriteStartObject("actionShares");
        for (var a = 0; a < actions.Count; a++)
        {
            Number(writer, actions[a], strategy.ActionShares[a]);
        }

        writer.WriteEndObject();
        if (strategy.AbTest is { } abTest)
        {
            writer.WriteStartObject("abTest");
            Number(writer, "meanStopDay", abTest.MeanStopDay);
            Number(writer, "significantShare", abTest.SignificantShare);
            writer.WriteStartObject("winners");
            for (var a = 0; a < actions.Count; a++)
            {
                writer.WriteNumber(actions[a], abTest.WinnerCounts[a]);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteInterval(Utf8JsonWriter writer, string name, Interval interval)
    {
        writer.WriteStartObject(name);
        Number(writer, "mean", interval.Mean);
        Number(writer, "low", interval.Low);
        Number(writer, "high", interval.High);
        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, Math.Round(value, Decimals));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Strings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
