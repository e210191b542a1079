namespace Loops.Service.Hosting;

/// <summary>Log messages of the host.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Web endpoint (dashboard, /metrics, /healthz, /readyz) listening on: {Urls}")]
    public static partial void WebEndpoint(ILogger logger, string urls);
}
