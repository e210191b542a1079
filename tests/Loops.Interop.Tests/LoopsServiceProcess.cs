using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Loops.Interop.Tests;

/// <summary>
/// The real Loops service, started as a separate process (<c>dotnet Loops.Service.dll</c>) on a dynamic loopback port
/// with a fresh data directory, and killed with its process tree when the test class is done.
/// </summary>
public sealed partial class LoopsServiceProcess : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _dataDirectory =
        Path.Combine(Path.GetTempPath(), "loops-interop-" + Guid.NewGuid().ToString("N"));

    private Process? _process;

    /// <summary>host:port of the service, for gRPC clients (HTTP/2 cleartext, prior knowledge).</summary>
    public string Address { get; private set; } = string.Empty;

    /// <summary>Whether the service process is still running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything the service wrote to stdout and stderr so far.</summary>
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
        var assembly = RepositoryLayout.ServiceAssembly;
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException(
                $"The service is not built at {assembly}; build tests/Loops.Interop.Tests (it builds src/Loops.Service).", assembly);
        }

        Directory.CreateDirectory(_dataDirectory);
        var startInfo = new ProcessStartInfo("dotnet")
        {
            // The content root, so that the service reads its own appsettings.json as it does when deployed.
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in new[] { assembly, "--urls", "http://127.0.0.1:0", "--data-dir", _dataDirectory })
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The port is read from the console log; make sure the host's lifetime messages are there.
        startInfo.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        startInfo.Environment.Remove("ASPNETCORE_URLS");
        startInfo.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        startInfo.Environment.Remove("ASPNETCORE_HTTPS_PORTS");

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => _port.TrySetException(new InvalidOperationException(
            $"The service exited with code {SafeExitCode(process)} before listening. Log:\n{Log}"));
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var port = await _port.Task.WaitAsync(StartTimeout);
            Address = $"127.0.0.1:{port}";
        }
        catch (TimeoutException)
        {
            await DisposeAsync();
            throw new TimeoutException($"The service did not log 'Now listening on' within {StartTimeout.TotalSeconds} s. Log:\n{Log}");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync().WaitAsync(StopTimeout);
            }
            catch (InvalidOperationException)
            {
                // Never started or already reaped.
            }
            finally
            {
                process.Dispose();
            }
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp directory is cleaned by the OS.
        }
        catch (UnauthorizedAccessException)
        {
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

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _port.TrySetResult(int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    [GeneratedRegex(@"Now listening on: http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
