using Microsoft.Playwright;

namespace Loops.Dashboard.Tests;

/// <summary>A page of the dashboard in its own browser context; collects console errors and uncaught exceptions.</summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private readonly List<string> _errors = [];

    public DashboardPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text} ({page.Url})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"uncaught: {error} ({page.Url})");
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public async Task LoginAsync(string user, string password)
    {
        await GotoAsync("/dashboard/login");
        await Page.FillAsync("#name", user);
        await Page.FillAsync("#password", password);
        var response = await Page.RunAndWaitForResponseAsync(() => Page.ClickAsync("#submit"), r => r.Url.EndsWith("/dashboard/api/login", StringComparison.Ordinal));
        Assert.True(response.Ok, $"login as {user}: {response.Status}");
        // The page's own location, asked until it is the dashboard: waiting for the navigation event once timed out on
        // a loaded CI machine with the page already there.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await Page.WaitForFunctionAsync("() => location.pathname === '/dashboard/'", null, new() { Timeout = 5_000, PollingInterval = 100 });
                break;
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"no login as {user} at {Page.Url}: {string.Join("; ", Errors)}", ex);
                }
            }
        }

        await WaitReadyAsync();
    }

    /// <summary>Opens a dashboard path and waits until its script marked it ready.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitReadyAsync();
    }

    public async Task WaitReadyAsync()
    {
        await Page.WaitForSelectorAsync("body[data-status]", new() { Timeout = 20_000 });
        var status = await Page.GetAttributeAsync("body", "data-status");
        var message = await Page.Locator("#page-error").CountAsync() > 0 ? await Page.TextContentAsync("#page-error") : null;
        Assert.True(status == "ready", $"page {Page.Url} is '{status}': {message}");
    }

    public Task<string> TextAsync(string selector) => Page.Locator(selector).InnerTextAsync();

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
