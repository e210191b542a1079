using System.Text.Json.Serialization;

namespace Loops.Simulation.Reporting;

/// <summary>An <see cref="Interval"/> as the report's script reads it.</summary>
internal sealed record IntervalData(
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("low")] double Low,
    [property: JsonPropertyName("high")] double High)
{
    public static IntervalData Of(Interval interval) =>
        new(Math.Round(interval.Mean, 6), Math.Round(interval.Low, 6), Math.Round(interval.High, 6));
}
