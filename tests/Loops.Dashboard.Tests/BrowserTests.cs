using System.Net;

namespace Loops.Dashboard.Tests;

[CollectionDefinition(nameof(DashboardCollection))]
public sealed class DashboardCollection : ICollectionFixture<DashboardService>;

/// <summary>The dashboard in headless Chromium against the real service with a seeded simulation's data.</summary>
[Collection(nameof(DashboardCollection))]
public sealed class BrowserTests(DashboardService service)
{
    private static readonly string PolicyPath = "/dashboard/policy?name=" + DashboardService.Policy;

    [Fact]
    public async Task Pages_and_json_refuse_without_a_login()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = service.Web, Timeout = TimeSpan.FromSeconds(20) };
        var page = await http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/dashboard/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/dashboard/api/policies")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/dashboard/api/policies/{DashboardService.Policy}/timeline")).StatusCode);
        using var promote = new HttpRequestMessage(HttpMethod.Post, $"/dashboard/api/policies/{DashboardService.Policy}/promote")
        {
            Content = new StringContent("{\"version\":1}", System.Text.Encoding.UTF8, "application/json"),
        };
        promote.Headers.Add("X-Loops-Dashboard", "1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(promote)).StatusCode);

        await using var browser = await service.OpenAsync();
        await browser.Page.GotoAsync("/dashboard/");
        Assert.EndsWith("/dashboard/login", new Uri(browser.Page.Url).AbsolutePath, StringComparison.Ordinal);
        await browser.Page.WaitForSelectorAsync("#login");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task The_policies_list_shows_the_policy_with_its_live_model_traffic_and_net_value()
    {
        await using var browser = await service.OpenAsync(DashboardService.AdminName, DashboardService.AdminPassword);
        var row = $"#policies tr[data-policy='{DashboardService.Policy}']";
        var policy = await service.Client.GetPolicyAsync(DashboardService.Policy);
        var report = await service.Client.GetPolicyReportAsync(DashboardService.Policy);

        Assert.Equal($"v{policy.ModelVersion}", await browser.TextAsync(row + " [data-field=modelVersion]"));
        Assert.Equal(Formats.Count(DashboardService.Decisions), await browser.TextAsync(row + " [data-field=decisions]"));
        Assert.Equal(Formats.Count(DashboardService.Decisions), await browser.TextAsync(row + " [data-field=decisionsLastHour]"));
        Assert.Equal(Formats.Interval(report.NetValueUplift), await browser.TextAsync(row + " [data-field=netValueUplift]"));
        Assert.Equal(Formats.Percent(report.Roi), await browser.TextAsync(row + " [data-field=roi]"));
        await Screenshots.TakeAsync(browser.Page, "policies");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task The_policy_page_shows_the_admin_apis_numbers_and_charts_with_data()
    {
        await using var browser = await service.OpenAsync(DashboardService.AdminName, DashboardService.AdminPassword);
        await browser.GotoAsync(PolicyPath);
        var report = await service.Client.GetPolicyReportAsync(DashboardService.Policy);
        var models = await service.Client.ListModelsAsync(DashboardService.Policy);
        var evaluations = await service.Client.ListEvaluationsAsync(DashboardService.Policy);

        Assert.Equal($"{Formats.Count(report.Treatment.Decisions)} / {Formats.Count(report.Control.Decisions)}", await browser.TextAsync("[data-field='decisions']"));
        Assert.Equal(Formats.Interval(report.NetValueUplift), await browser.TextAsync("[data-field='netValueUplift']"));
        Assert.Equal(Formats.Interval(report.RewardUplift), await browser.TextAsync("[data-field='rewardUplift']"));
        Assert.Equal(Formats.Num(report.Treatment.Spend), await browser.TextAsync("[data-field='treatment.spend']"));
        Assert.Equal(Formats.Num(report.Treatment.Revenue), await browser.TextAsync("[data-field='treatment.revenue']"));
        Assert.Equal(Formats.Num(report.Treatment.NetValueMean), await browser.TextAsync("[data-field='treatment.netValueMean']"));
        Assert.Equal(Formats.Percent(report.Roi), await browser.TextAsync("[data-field='roi']"));
        Assert.Equal(Formats.Num(report.CostSaved), await browser.TextAsync("[data-field='costSaved']"));
        Assert.Equal(models.Count, await browser.Page.Locator("#models > tbody > tr").CountAsync());
        Assert.Equal(models.Single(m => m.Live).Version.ToString(System.Globalization.CultureInfo.InvariantCulture), await browser.Page.GetAttributeAsync("#models tr:has(.badge.live)", "data-version"));
        Assert.True(evaluations.Count > 0, "the trainer evaluated the challenger at least once");
        Assert.Equal(evaluations.Count, await browser.Page.Locator("#audit > tbody > tr").CountAsync());
        Assert.Equal(20, await browser.Page.Locator("#decisions > tbody > tr").CountAsync());

        // Every chart is a Chart.js instance with data points.
        var points = await browser.Page.EvaluateAsync<int[]>(
            "() => [...document.querySelectorAll('canvas')].map(c => { const chart = Chart.getChart(c); return chart ? chart.data.datasets.reduce((n, d) => n + d.data.filter(v => v !== null).length, 0) : -1; })");
        Assert.Equal(5, points.Length);
        Assert.All(points, count => Assert.True(count > 0, $"chart data points: {string.Join(", ", points)}"));
        var segments = await browser.Page.EvaluateAsync<string[]>("() => Chart.getChart(document.getElementById('chart-segments')).data.labels");
        Assert.Equal(3, segments.Length);

        await Screenshots.TakeAsync(browser.Page, "policy", fullPage: true);
        await browser.Page.SelectOptionAsync("#metric", "reward");
        await browser.Page.SelectOptionAsync("#bucket", "60");
        await browser.Page.WaitForFunctionAsync("() => document.getElementById('bucket-note').textContent.includes('1 min')");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task An_admin_promotes_and_rolls_back_after_confirming_and_the_audit_trail_names_them()
    {
        await using var browser = await service.OpenAsync(DashboardService.AdminName, DashboardService.AdminPassword);
        await browser.GotoAsync(PolicyPath);
        var before = (await service.Client.ListModelsAsync(DashboardService.Policy)).Single(m => m.Live).Version;
        var target = (await service.Client.ListModelsAsync(DashboardService.Policy)).First(m => !m.Live).Version;
        var button = $"#models button.promote[data-version='{target}']";

        // Cancelling the confirmation changes nothing.
        await browser.Page.ClickAsync(button);
        await browser.Page.ClickAsync("#confirm-cancel");
        Assert.Equal(before, (await service.Client.GetPolicyAsync(DashboardService.Policy)).ModelVersion);

        await browser.Page.ClickAsync(button);
        await Screenshots.TakeAsync(browser.Page, "promote-confirmation");
        await browser.Page.ClickAsync("#confirm-ok");
        await browser.Page.WaitForSelectorAsync($"#models tr[data-version='{target}'] .badge.live");
        Assert.Equal(target, (await service.Client.GetPolicyAsync(DashboardService.Policy)).ModelVersion);
        var promoted = (await service.Client.ListEvaluationsAsync(DashboardService.Policy))[0];
        Assert.Equal(("promoted", DashboardService.AdminName, before, target), (promoted.Decision, promoted.Actor, promoted.FromVersion, promoted.ToVersion));
        Assert.Equal(DashboardService.AdminName, await browser.TextAsync("#audit tbody tr:first-child .actor"));
        Assert.Equal("promoted", await browser.TextAsync("#audit tbody tr:first-child .what"));

        await browser.Page.ClickAsync("#rollback");
        await browser.Page.ClickAsync("#confirm-ok");
        await browser.Page.WaitForSelectorAsync($"#models tr[data-version='{before}'] .badge.live");
        Assert.Equal(before, (await service.Client.GetPolicyAsync(DashboardService.Policy)).ModelVersion);
        var rolledBack = (await service.Client.ListEvaluationsAsync(DashboardService.Policy))[0];
        Assert.Equal(("rolled_back", DashboardService.AdminName), (rolledBack.Decision, rolledBack.Actor));
        Assert.Equal("rolled back", await browser.TextAsync("#audit tbody tr:first-child .what"));
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_viewer_sees_no_promote_or_rollback_button_and_is_refused_with_403()
    {
        await using var browser = await service.OpenAsync(DashboardService.ViewerName, DashboardService.ViewerPassword);
        await browser.GotoAsync(PolicyPath);
        Assert.Equal(0, await browser.Page.Locator("#models button.promote").CountAsync());
        Assert.False(await browser.Page.IsVisibleAsync("#rollback"));
        var live = (await service.Client.GetPolicyAsync(DashboardService.Policy)).ModelVersion;
        var version = (await service.Client.ListModelsAsync(DashboardService.Policy)).First(m => !m.Live).Version;

        // The viewer's own cookie, sent the way the page would send it.
        var headers = new Dictionary<string, string> { ["X-Loops-Dashboard"] = "1" };
        var promote = await browser.Context.APIRequest.PostAsync(
            $"/dashboard/api/policies/{DashboardService.Policy}/promote", new() { Headers = headers, DataObject = new { version } });
        var rollback = await browser.Context.APIRequest.PostAsync($"/dashboard/api/policies/{DashboardService.Policy}/rollback", new() { Headers = headers });

        Assert.Equal((403, 403), (promote.Status, rollback.Status));
        Assert.Equal(live, (await service.Client.GetPolicyAsync(DashboardService.Policy)).ModelVersion);
        Assert.Equal("victor (viewer)", await browser.TextAsync("#who"));
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_post_without_the_dashboard_header_is_refused_even_with_the_cookie()
    {
        await using var browser = await service.OpenAsync(DashboardService.AdminName, DashboardService.AdminPassword);
        var response = await browser.Context.APIRequest.PostAsync($"/dashboard/api/policies/{DashboardService.Policy}/rollback");
        Assert.Equal(400, response.Status);
    }
}
