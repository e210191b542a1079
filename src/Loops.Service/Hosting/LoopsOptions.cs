namespace Loops.Service.Hosting;

/// <summary>The service's settings (section <c>Loops</c>; <c>--data-dir</c> on the command line).</summary>
public sealed class LoopsOptions
{
    /// <summary>Where the embedded store keeps policies, models and the feedback journal. Default <c>data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The largest request message accepted, in bytes. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Seconds between model snapshots. Default 5.</summary>
    public double SnapshotIntervalSeconds { get; set; } = 5;

    /// <summary>Whether every batch of feedback records is fsync'ed (survives power loss, not only a crash). Default false.</summary>
    public bool FlushToDisk { get; set; }

    /// <summary>
    /// URLs of the web endpoint (HTTP/1.1: dashboard, <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>), separated by
    /// <c>;</c>, e.g. <c>http://127.0.0.1:5080</c>; <c>--web-urls</c> on the command line. None by default.
    /// </summary>
    public string? WebUrls { get; set; }

    /// <summary>Checks the settings; the message names the one to fix.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException("Loops:DataDirectory (--data-dir) must name a directory.");
        }

        if (MaxReceiveMessageSize <= 0)
        {
            throw new ArgumentException($"Loops:MaxReceiveMessageSize must be positive, got {MaxReceiveMessageSize}.");
        }

        if (!double.IsFinite(SnapshotIntervalSeconds) || SnapshotIntervalSeconds <= 0)
        {
            throw new ArgumentException($"Loops:SnapshotIntervalSeconds must be positive, got {SnapshotIntervalSeconds}.");
        }
    }
}
