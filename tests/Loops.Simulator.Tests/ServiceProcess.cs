using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Loops.Simulator.Tests;

/// <summary>
/// The real Loops service as a separate process on a dynamic loopback port with a fresh data directory; its
/// process tree is killed when the test class is done.
/// </summary>
public sealed partial class ServiceProcess : IAsyncLifetime
{
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("loops-sim-service-").FullName;
    private Process? _process;

    public Uri Address { get; private set; } = new("http://127.0.0.1");

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        var assembly = TestPaths.ServiceAssembly;
        Assert.True(File.Exists(assembly), $"The service is not built at {assembly}.");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { assembly, "--urls", "http://127.0.0.1:0", "--data-dir", _dataDirectory })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        startInfo.Environment.Remove("ASPNETCORE_URLS");
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => _port.TrySetException(new InvalidOperationException("The service exited before listening:\n" + Log));
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var port = await _port.Task.WaitAsync(TimeSpan.FromSeconds(90));
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            process.Dispose();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Still held open by a dying process; the temp folder is cleaned by the OS.
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (Listening().Match(line) is { Success: true } match)
        {
            _port.TrySetResult(int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"Now listening on: http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex Listening();
}
