using Loops.Contracts.V1;
using Microsoft.Extensions.Time.Testing;
using static Loops.Service.Tests.ConstraintPolicies;

namespace Loops.Service.Tests;

/// <summary>A simulated day on fake time: a paced daily budget spreads spend evenly over the hours.</summary>
public sealed class PacingTests
{
    private const int Seed = 20240601;
    private const int Arrivals = 12_000;
    private static readonly DateTimeOffset Midnight = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_hour_spends_within_a_quarter_of_an_even_share()
    {
        var times = DayOfTraffic();
        var unconstrained = await SpendPerHourAsync(times, budget: null);
        var daily = 0.1 * unconstrained.Sum();
        var paced = await SpendPerHourAsync(times, new Budget { Amount = daily, PeriodSeconds = 86400, Pacing = true });

        var share = daily / 24;
        for (var hour = 0; hour < 24; hour++)
        {
            Assert.InRange(paced[hour], 0.75 * share, 1.25 * share);
        }

        Assert.True(paced.Sum() <= daily + 1e-6);
    }

    // Arrivals over 24 h with a daily rhythm (busy evenings, quiet nights), drawn by rejection from a fixed seed.
    private static long[] DayOfTraffic()
    {
        var random = new Random(Seed);
        var times = new List<long>(Arrivals);
        while (times.Count < Arrivals)
        {
            var second = random.NextDouble() * 86400;
            var intensity = 1 + (0.6 * Math.Sin(((second / 86400) - 0.5) * 2 * Math.PI));
            if (random.NextDouble() * 1.6 < intensity)
            {
                times.Add((long)(second * 1000));
            }
        }

        times.Sort();
        return [.. times];
    }

    private static async Task<double[]> SpendPerHourAsync(long[] times, Budget? budget)
    {
        await using var components = await DecisionComponents.OpenAsync(new FakeTimeProvider(Midnight));
        var (time, catalog, decider) = (components.Time, components.Catalog, components.Decider);
        await catalog.UpsertAsync(Bonuses("daily", new Contracts.V1.Constraints { NoBonusActionId = "none", Budget = budget }), CancellationToken.None);

        var spend = new double[24];
        var costs = new Dictionary<string, double> { ["none"] = 0, ["b10"] = 10, ["b25"] = 25 };
        for (var i = 0; i < times.Length; i++)
        {
            time.SetUtcNow(Midnight.AddMilliseconds(times[i]));
            var response = (await decider.DecideAsync(new DecideRequest { Policy = "daily", UserId = $"u{i}", EventId = $"e{i}" }, System.Buffers.ReadOnlySequence<byte>.Empty, CancellationToken.None)).ToResponse();
            spend[times[i] / 3_600_000] += costs[response.ActionId];
        }

        return spend;
    }
}
