using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Loops.Service.Hosting;

/// <summary>
/// Binds Kestrel's endpoints: the gRPC API on the ASP.NET URLs (<c>--urls</c>, <c>ASPNETCORE_URLS</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c>) as HTTP/2 cleartext with prior knowledge, and the web endpoint (dashboard,
/// <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>) on <c>Loops:WebUrls</c> (<c>--web-urls</c>) as HTTP/1.1,
/// which browsers and Prometheus speak. Cleartext cannot negotiate between the two, hence two endpoints.
/// </summary>
internal sealed class KestrelEndpoints
{
    private const string DefaultUrls = "http://localhost:5000";

    private readonly IReadOnlyList<ListenAddress> _grpc;
    private readonly IReadOnlyList<ListenAddress> _web;
    private readonly List<ListenOptions> _webListeners = [];

    private KestrelEndpoints(IReadOnlyList<ListenAddress> grpc, IReadOnlyList<ListenAddress> web)
    {
        _grpc = grpc;
        _web = web;
    }

    /// <summary>Whether a web endpoint is configured.</summary>
    public bool HasWeb => _web.Count > 0;

    /// <summary>Reads both lists of URLs and clears the host's own, so Kestrel binds only what is configured here.</summary>
    public static KestrelEndpoints Configure(WebApplicationBuilder builder, string? webUrls)
    {
        var configuration = builder.Configuration;
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            var ports = configuration["http_ports"];
            urls = string.IsNullOrWhiteSpace(ports)
                ? DefaultUrls
                : string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(port => $"http://*:{port}"));
        }

        var endpoints = new KestrelEndpoints(
            ListenAddress.ParseList(urls, "--urls"),
            ListenAddress.ParseList(webUrls ?? string.Empty, "Loops:WebUrls (--web-urls)"));
        // Cleared in every configuration source, so that Kestrel binds only the endpoints below.
        configuration[WebHostDefaults.ServerUrlsKey] = string.Empty;
        configuration["http_ports"] = string.Empty;
        builder.WebHost.ConfigureKestrel(endpoints.Bind);
        return endpoints;
    }

    /// <summary>The web endpoint's bound URLs, comma-separated (with the real port when 0 was asked for); after start.</summary>
    public string WebUrlList => string.Join(", ", WebAddresses);

    /// <summary>The web endpoint's bound addresses; after start.</summary>
    public IReadOnlyList<Uri> WebAddresses => [.. _webListeners.Select(listener => new Uri($"http://{listener.IPEndPoint}"))];

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address, HttpProtocols protocols, List<ListenOptions>? bound)
    {
        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
            bound?.Add(listen);
        }

        if (address.IsLocalhost)
        {
            kestrel.ListenLocalhost(address.Port, Configure);
        }
        else if (address.Address is null)
        {
            kestrel.ListenAnyIP(address.Port, Configure);
        }
        else
        {
            kestrel.Listen(address.Address, address.Port, Configure);
        }
    }

    private void Bind(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        foreach (var address in _grpc)
        {
            Listen(kestrel, address, HttpProtocols.Http2, bound: null);
        }

        foreach (var address in _web)
        {
            Listen(kestrel, address, HttpProtocols.Http1, _webListeners);
        }
    }
}
