using Xunit.Abstractions;

namespace Loops.Interop.Tests;

/// <summary>Runs one peer's interop script against the service and turns its outcome into an assertion.</summary>
internal static class InteropScript
{
    /// <summary>The whole scenario takes seconds; the limit is for slow, shared CI machines.</summary>
    public static readonly TimeSpan ScenarioTimeout = TimeSpan.FromMinutes(3);

    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(
        LoopsServiceProcess service,
        ITestOutputHelper output,
        string peer,
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        ProcessResult result;
        try
        {
            result = await ExternalProcess.RunAsync(fileName, arguments, workingDirectory, ScenarioTimeout, environment);
        }
        catch (TimeoutException ex)
        {
            Assert.Fail($"The {peer} interop scenario timed out against {service.Address}.\n{ex.Message}\n{ServiceLog(service)}");
            return;
        }

        output.WriteLine(result.Output);
        Assert.True(
            result.ExitCode == 0,
            $"The {peer} interop scenario failed against {service.Address} (exit code {result.ExitCode}):\n{result.Output}\n{ServiceLog(service)}");
        Assert.True(service.IsRunning, $"The service exited during the {peer} interop scenario.\n{ServiceLog(service)}");
    }

    private static string ServiceLog(LoopsServiceProcess service)
    {
        var log = service.Log;
        const int Tail = 8000;
        return "--- service log" + (log.Length > Tail ? " (tail)" : string.Empty) + " ---\n"
            + (log.Length > Tail ? log[^Tail..] : log);
    }
}
