using System.Text.Json;
using Loops.Core.Evaluation;

namespace Loops.Evaluation;

/// <summary>
/// Writes an <see cref="EvaluationReport"/> as JSON (snake_case keys; numbers that are not finite become null), the
/// same document for the command line's <c>--json</c> and any other consumer.
/// </summary>
public static class EvaluationReportJson
{
    /// <summary>Writes the report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="stream">The stream; left open.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>A task that completes when the report is written and flushed.</returns>
    public static async Task WriteAsync(EvaluationReport report, Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("source", report.Source);
            writer.WriteString("format", report.Format.ToString().ToLowerInvariant());
            writer.WriteString("target", report.Target);
            if (report.RewardModel is null)
            {
                writer.WriteNull("reward_model");
            }
            else
            {
                writer.WriteString("reward_model", report.RewardModel);
            }

            Number(writer, "logged_mean_reward", report.LoggedMeanReward);
            writer.WritePropertyName("diagnostics");
            Diagnostics(writer, report.Diagnostics);
            writer.WriteStartArray("estimates");
            foreach (var estimate in report.Estimates)
            {
                writer.WriteStartObject();
                writer.WriteString("estimator", estimate.Estimator);
                Number(writer, "estimate", estimate.Estimate);
                Number(writer, "standard_error", estimate.StandardError);
                Number(writer, "lower", estimate.Lower);
                Number(writer, "upper", estimate.Upper);
                writer.WriteString("interval", estimate.Interval.ToString().ToLowerInvariant());
                Number(writer, "confidence_level", estimate.ConfidenceLevel);
                writer.WriteNumber("n", estimate.Diagnostics.Count);
                Number(writer, "effective_sample_size", estimate.Diagnostics.EffectiveSampleSize);
                Number(writer, "max_weight", estimate.Diagnostics.MaxWeight);
                Number(writer, "low_support_share", estimate.Diagnostics.LowSupportShare);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("skipped");
            foreach (var skipped in report.Skipped)
            {
                writer.WriteStartObject();
                writer.WriteString("estimator", skipped.Estimator);
                writer.WriteString("reason", skipped.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Diagnostics(Utf8JsonWriter writer, WeightDiagnostics diagnostics)
    {
        writer.WriteStartObject();
        writer.WriteNumber("n", diagnostics.Count);
        Number(writer, "effective_sample_size", diagnostics.EffectiveSampleSize);
        Number(writer, "mean_weight", diagnostics.MeanWeight);
        Number(writer, "max_weight", diagnostics.MaxWeight);
        Number(writer, "low_support_share", diagnostics.LowSupportShare);
        writer.WriteString(
            "low_support_source",
            diagnostics.SupportSource == SupportSource.LoggedDistributions ? "logged_distributions" : "importance_weights");
        Number(writer, "support_threshold", diagnostics.SupportThreshold);
        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
