using System.Globalization;
using System.Net;

namespace Loops.Service.Hosting;

/// <summary>
/// One address to listen on, parsed from an ASP.NET-style URL (<c>http://127.0.0.1:5000</c>, <c>http://localhost:5000</c>,
/// <c>http://*:5000</c>, <c>http://+:5000</c>, <c>http://[::1]:5000</c>). Port 0 asks for a free port.
/// </summary>
/// <param name="Url">The URL as configured, for messages.</param>
/// <param name="Address">The IP address to bind, or null for every interface or for localhost.</param>
/// <param name="IsLocalhost">Whether the host was <c>localhost</c> (both loopback addresses).</param>
/// <param name="Port">The port; 0 for a dynamic one.</param>
public sealed record ListenAddress(string Url, IPAddress? Address, bool IsLocalhost, int Port)
{
    /// <summary>Parses a <c>;</c>-separated list of URLs.</summary>
    /// <param name="urls">The list, e.g. the value of <c>--urls</c>.</param>
    /// <param name="setting">The setting's name, for the message of a bad URL.</param>
    /// <exception cref="ArgumentException">A URL is not an http URL with a host and a port; the message names it.</exception>
    public static IReadOnlyList<ListenAddress> ParseList(string urls, string setting)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var addresses = new List<ListenAddress>();
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            addresses.Add(Parse(url, setting));
        }

        return addresses;
    }

    private static ListenAddress Parse(string url, string setting)
    {
        const string Scheme = "http://";
        if (!url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"{setting}: '{url}' is not an http:// URL. Loops serves cleartext (h2c); terminate TLS in front of it.");
        }

        var authority = url[Scheme.Length..].TrimEnd('/');
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || authority.EndsWith(']')
            || !int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > IPEndPoint.MaxPort)
        {
            throw new ArgumentException($"{setting}: '{url}' has no valid port; write it as http://host:port.");
        }

        var host = authority[..colon];
        if (host is "*" or "+")
        {
            return new ListenAddress(url, null, IsLocalhost: false, port);
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new ListenAddress(url, null, IsLocalhost: true, port);
        }

        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            throw new ArgumentException(
                $"{setting}: '{url}' names host '{host}'; use an IP address, localhost, or * for every interface.");
        }

        return new ListenAddress(url, address, IsLocalhost: false, port);
    }
}
