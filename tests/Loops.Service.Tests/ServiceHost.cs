using Loops.Client;
using Loops.Service.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Loops.Service.Tests;

/// <summary>The real service in this process, on a dynamic loopback port, over a data directory of its own.</summary>
internal sealed class ServiceHost : IAsyncDisposable
{
    private readonly LoopsApplication _loops;

    private ServiceHost(LoopsApplication loops, Uri address, string dataDirectory)
    {
        _loops = loops;
        Address = address;
        DataDirectory = dataDirectory;
        Client = new LoopsClient(address, new LoopsClientOptions { Timeout = TimeSpan.FromSeconds(20) });
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public LoopsClient Client { get; }

    /// <summary>The web endpoint (metrics, health, dashboard) when one was asked for with --web-urls.</summary>
    public Uri? WebAddress => _loops.WebAddresses.Count > 0 ? _loops.WebAddresses[0] : null;

    public static async Task<ServiceHost> StartAsync(string? dataDirectory = null, params string[] extraArgs)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("loops-test-").FullName;
        string[] args = ["--urls", "http://127.0.0.1:0", "--data-dir", dataDirectory, "--Logging:LogLevel:Default=Warning", .. extraArgs];
        var loops = await LoopsApplication.BuildAsync(args);
        await loops.App.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = loops.App.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ServiceHost(loops, new Uri(address), dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _loops.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _loops.DisposeAsync();
    }
}
