using System.Diagnostics.Metrics;
using Loops.Constraints.Ledgers;
using Loops.Feedback;
using Loops.Service.Decisions;
using Loops.Service.Observability;
using Loops.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Loops.Service.Tests;

/// <summary>
/// The decision path composed as the service composes it (embedded store, catalogue, ledger, metrics, recent
/// decisions, decider) on a temporary directory and a fake clock, for tests that drive it without a host.
/// </summary>
internal sealed class DecisionComponents : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly PolicyReportTally _reports;

    private DecisionComponents(
        ServiceProvider services, FakeTimeProvider time, EmbeddedFeedbackStore store, PolicyCatalog catalog, EmbeddedConstraintLedger ledger, int recentCapacity)
    {
        _services = services;
        Time = time;
        Store = store;
        Catalog = catalog;
        Ledger = ledger;
        _reports = new PolicyReportTally(store);
        Metrics = new LoopsMetrics(services.GetRequiredService<IMeterFactory>(), store, catalog, _reports);
        Recent = new RecentDecisions(recentCapacity);
        Decider = new Decider(catalog, store, ledger, new DecisionObserver(Recent, Metrics), time);
    }

    public FakeTimeProvider Time { get; }

    public EmbeddedFeedbackStore Store { get; }

    public PolicyCatalog Catalog { get; }

    public EmbeddedConstraintLedger Ledger { get; }

    public LoopsMetrics Metrics { get; }

    public RecentDecisions Recent { get; }

    public Decider Decider { get; }

    public static async Task<DecisionComponents> OpenAsync(FakeTimeProvider time, int recentCapacity = 1000)
    {
        var directory = Directory.CreateTempSubdirectory("loops-decisions-").FullName;
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var store = await EmbeddedFeedbackStore.OpenAsync(
            new EmbeddedFeedbackStoreOptions { DataDirectory = directory }, time, NullLogger<EmbeddedFeedbackStore>.Instance, CancellationToken.None);
        var catalog = await PolicyCatalog.OpenAsync(directory, NullLogger<PolicyCatalog>.Instance, CancellationToken.None);
        var ledger = EmbeddedConstraintLedger.Open(directory, time.GetUtcNow().ToUnixTimeMilliseconds());
        return new DecisionComponents(services, time, store, catalog, ledger, recentCapacity);
    }

    public async ValueTask DisposeAsync()
    {
        Metrics.Dispose();
        _reports.Dispose();
        await Ledger.DisposeAsync();
        Catalog.Dispose();
        await Store.DisposeAsync();
        await _services.DisposeAsync();
    }
}
