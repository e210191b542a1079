using System.Diagnostics.Metrics;
using Loops.Contracts.V1;
using Loops.Service.Decisions;
using Loops.Service.Observability;
using Microsoft.Extensions.Time.Testing;
using static Loops.Service.Tests.ConstraintPolicies;

namespace Loops.Service.Tests;

public sealed class DecisionReleaserTests
{
    [Fact]
    public async Task A_release_takes_the_cost_off_the_spend_even_when_the_decision_is_no_longer_among_the_recent_ones()
    {
        // No recent decisions kept: the release finds the decision pending in the store.
        await using var components = await DecisionComponents.OpenAsync(
            new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)), recentCapacity: 0);
        var (catalog, decider) = (components.Catalog, components.Decider);
        var releaser = new DecisionReleaser(components.Ledger, components.Recent, components.Store, components.Metrics, components.Time);
        var budget = new Contracts.V1.Constraints { NoBonusActionId = "none", Budget = new Budget { Amount = 100, PeriodSeconds = 86400 } };
        await catalog.UpsertAsync(Bonuses("p", budget), CancellationToken.None);

        var spend = 0.0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name == LoopsMetrics.MeterName && instrument.Name == "loops.constraints.spend")
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => spend += value);
        listener.Start();

        var request = new DecideRequest { Policy = "p", UserId = "u", EventId = "e1", ExcludedActionIds = { "none", "b25" } };
        var response = (await decider.DecideAsync(request, System.Buffers.ReadOnlySequence<byte>.Empty, CancellationToken.None)).ToResponse();
        Assert.Equal("b10", response.ActionId);
        Assert.Equal(10, spend);

        Assert.True((await releaser.ReleaseAsync(new ReleaseDecisionRequest { EventId = "e1" }, CancellationToken.None)).Released);
        Assert.Equal(0, spend);
        Assert.False((await releaser.ReleaseAsync(new ReleaseDecisionRequest { EventId = "e1" }, CancellationToken.None)).Released);
        Assert.Equal(0, spend);
    }
}
