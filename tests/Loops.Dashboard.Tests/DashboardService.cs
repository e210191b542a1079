using Loops.Client;
using Loops.Contracts.V1;
using Loops.Service.Dashboard;
using Loops.Service.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Loops.Dashboard.Tests;

/// <summary>
/// The real service in this process on loopback ports (gRPC and the web endpoint), with an admin and a viewer
/// configured and a policy filled by a seeded simulation through the gRPC API; and one headless Debian Chromium.
/// </summary>
public sealed class DashboardService : IAsyncLifetime
{
    public const string Policy = "welcome-bonus";
    public const string AdminName = "alice";
    public const string AdminPassword = "alice-secret-1";
    public const string ViewerName = "victor";
    public const string ViewerPassword = "victor-secret-1";
    public const int Decisions = 3000;
    private const string Chromium = "/usr/bin/chromium";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("loops-dashboard-test-").FullName;
    private LoopsApplication? _loops;
    private IPlaywright? _playwright;

    public LoopsClient Client { get; private set; } = null!;

    public Uri Web { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
        // Few iterations: the hashes only need to be real ones here, not slow ones.
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--web-urls", "http://127.0.0.1:0", "--data-dir", _dataDirectory,
            "--Logging:LogLevel:Default=Warning", "--Loops:SnapshotIntervalSeconds=1",
            "--Loops:Dashboard:Users:0:Name=" + AdminName, "--Loops:Dashboard:Users:0:Role=admin",
            "--Loops:Dashboard:Users:0:PasswordHash=" + PasswordHash.Create(AdminPassword, 1000),
            "--Loops:Dashboard:Users:1:Name=" + ViewerName, "--Loops:Dashboard:Users:1:Role=viewer",
            "--Loops:Dashboard:Users:1:PasswordHash=" + PasswordHash.Create(ViewerPassword, 1000),
        ];
        _loops = await LoopsApplication.BuildAsync(args);
        await _loops.App.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var grpc = _loops.App.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Client = new LoopsClient(new Uri(grpc), new LoopsClientOptions { Timeout = TimeSpan.FromSeconds(20) });
        Web = _loops.WebAddresses[0];

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var traffic = await SeededTraffic.LoadAsync(timeout.Token);
        await Client.UpsertPolicyAsync(traffic.Policy(Policy), timeout.Token);
        // In two halves, each learned and stored before the next: the tests need an older version to promote, and a
        // fast machine can learn all the traffic at once between two snapshots.
        await traffic.RunAsync(Client, Policy, 0, Decisions / 2, seed: 7, timeout.Token);
        await WaitUntilJoinedAsync(Decisions / 2, timeout.Token);
        await traffic.RunAsync(Client, Policy, Decisions / 2, Decisions, seed: 7, timeout.Token);
        await WaitUntilJoinedAsync(Decisions, timeout.Token);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Client?.Dispose();
        if (_loops is not null)
        {
            await _loops.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await _loops.DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>A browser context (own cookies) with a page that records console errors, logged in when a name is given.</summary>
    public async Task<DashboardPage> OpenAsync(string? user = null, string? password = null)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Web.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = new DashboardPage(context, await context.NewPageAsync());
        if (user is not null)
        {
            await page.LoginAsync(user, password!);
        }

        return page;
    }

    // The last snapshot (every second while the model learns) must be written before tests promote and roll back: the
    // live version has learned every decision, and no version came since. Counting versions alone let a snapshot
    // written late on a busy machine change the live version under a test.
    private async Task WaitUntilVersionsSettleAsync(int decisions, CancellationToken cancellationToken)
    {
        var last = -1L;
        while (true)
        {
            var versions = await Client.ListModelsAsync(Policy, cancellationToken);
            if (versions.Count == last && versions.SingleOrDefault(version => version.Live)?.EventsLearned == decisions)
            {
                return;
            }

            last = versions.Count;
            await Task.Delay(TimeSpan.FromSeconds(2.5), cancellationToken);
        }
    }

    // Every decision joins once its 1 s window closes; the trainer learns from it and the tally counts it.
    private async Task WaitUntilJoinedAsync(int decisions, CancellationToken cancellationToken)
    {
        while (true)
        {
            var report = await Client.GetPolicyReportAsync(Policy, cancellationToken: cancellationToken);
            var timeline = await Client.GetPolicyTimelineAsync(new GetPolicyTimelineRequest { Policy = Policy }, cancellationToken);
            var policy = await Client.GetPolicyAsync(Policy, cancellationToken);
            if (report.Treatment.Decisions + report.Control.Decisions == decisions
                && timeline.Buckets.Sum(bucket => bucket.Treatment.Decisions + bucket.Control.Decisions) == decisions
                && policy.EventsLearned == decisions)
            {
                await WaitUntilVersionsSettleAsync(decisions, cancellationToken);
                return;
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
