using System.Diagnostics;

namespace Loops.Service.Tests;

/// <summary>Runs a command-line tool of the machine (promtool, prometheus) for a test.</summary>
internal static class Tool
{
    /// <summary>Runs <paramref name="fileName"/> to completion with <paramref name="input"/> on stdin; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string input, params string[] arguments)
    {
        using var process = Process.Start(Start(fileName, arguments, redirectInput: true))
            ?? throw new InvalidOperationException($"{fileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Start information for a tool whose output is captured.</summary>
    public static ProcessStartInfo Start(string fileName, IEnumerable<string> arguments, bool redirectInput = false)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    /// <summary>A free TCP port on 127.0.0.1 (for a server the test starts).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
