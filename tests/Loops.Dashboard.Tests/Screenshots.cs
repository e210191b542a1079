using Microsoft.Playwright;

namespace Loops.Dashboard.Tests;

/// <summary>
/// Screenshots of the main pages: always into the test output, and into the repository's <c>docs/dashboard/</c> when
/// <c>LOOPS_DASHBOARD_SCREENSHOTS=1</c> (see docs/dashboard.md).
/// </summary>
internal static class Screenshots
{
    public static async Task TakeAsync(IPage page, string name, bool fullPage = false)
    {
        var directories = new List<string> { Path.Combine(AppContext.BaseDirectory, "screenshots") };
        if (Environment.GetEnvironmentVariable("LOOPS_DASHBOARD_SCREENSHOTS") == "1" && RepositoryRoot() is { } root)
        {
            directories.Add(Path.Combine(root, "docs", "dashboard"));
        }

        var png = await page.ScreenshotAsync(new() { FullPage = fullPage });
        foreach (var directory in directories)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllBytesAsync(Path.Combine(directory, name + ".png"), png);
        }
    }

    private static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Loops.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
