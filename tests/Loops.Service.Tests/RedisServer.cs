using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Loops.Service.Tests;

/// <summary>A throw-away redis-server on a free loopback port, without persistence, in a temporary directory.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _directory;

    private RedisServer(Process process, DirectoryInfo directory, int port)
    {
        _process = process;
        _directory = directory;
        Endpoint = $"127.0.0.1:{port}";
    }

    public string Endpoint { get; }

    public static async Task<RedisServer> StartAsync()
    {
        var port = FreePort();
        var directory = Directory.CreateTempSubdirectory("loops-redis-");
        var start = new ProcessStartInfo("/usr/bin/redis-server")
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.FullName },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var server = new RedisServer(process, directory, port);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var line in ReadLinesAsync(process.StandardOutput, deadline.Token))
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                return server;
            }
        }

        server.Dispose();
        throw new InvalidOperationException("redis-server did not start.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        _directory.Delete(recursive: true);
    }

    private static async IAsyncEnumerable<string> ReadLinesAsync(StreamReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            yield return line;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
