using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Loops.Redis.Tests;

/// <summary>
/// The Loops service as a separate process (<c>dotnet Loops.Service.dll</c>) on a dynamic loopback port, with a data
/// directory of its own that survives <see cref="KillAsync"/> (kill -9) and <see cref="StartAsync"/> again.
/// </summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly StringBuilder _log = new();
    private readonly string[] _arguments;
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("loops-replica-").FullName;
    private Process? _process;

    public ServiceProcess(params string[] arguments)
    {
        _arguments = arguments;
    }

    public Uri Address { get; private set; } = new("http://127.0.0.1:1");

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

    private static string ServiceAssembly
    {
        get
        {
            var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var framework = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Loops.sln")))
                {
                    return Path.Combine(directory.FullName, "src", "Loops.Service", "bin", configuration, framework, "Loops.Service.dll");
                }
            }

            throw new InvalidOperationException("No Loops.sln above the test assembly.");
        }
    }

    public async Task StartAsync()
    {
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var assembly = ServiceAssembly;
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { assembly, "--urls", "http://127.0.0.1:0", "--data-dir", _dataDirectory }.Concat(_arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        startInfo.Environment.Remove("ASPNETCORE_URLS");
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(line);
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                port.TrySetResult(int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Exited += (_, _) => port.TrySetException(new InvalidOperationException($"The service exited before listening. Log:\n{Log}"));
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Address = new Uri($"http://127.0.0.1:{await port.Task.WaitAsync(StartTimeout)}");
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(StartTimeout);
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The web endpoint (metrics, health) once the service logged it; when started with --web-urls.</summary>
    public Uri? WebAddress => WebLine().Match(Log) is { Success: true } match ? new Uri(match.Groups["url"].Value) : null;

    [GeneratedRegex(@"Web endpoint .* listening on: (?<url>http://\S+)")]
    private static partial Regex WebLine();

    [GeneratedRegex(@"Now listening on: http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
