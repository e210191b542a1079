namespace Loops.Evaluation;

/// <summary>Reads logged events from a path, in a given layout or the one the path looks like.</summary>
public static class LogSource
{
    /// <summary>
    /// The layout of a path: a data directory with a <c>feedback</c> folder is a Loops log; a CSV file or a folder of
    /// CSV files is an OBD log.
    /// </summary>
    /// <param name="path">The path.</param>
    /// <returns>The layout.</returns>
    /// <exception cref="EvaluationInputException">The path does not exist or looks like neither.</exception>
    public static LogFormat Detect(string path)
    {
        if (File.Exists(path))
        {
            return LogFormat.Obd;
        }

        if (!Directory.Exists(path))
        {
            throw new EvaluationInputException($"{path} does not exist; give an OBD log CSV, its folder, or a Loops data directory.");
        }

        if (Directory.Exists(Path.Combine(path, "feedback")))
        {
            return LogFormat.Loops;
        }

        if (Directory.EnumerateFiles(path, "*.csv").Any())
        {
            return LogFormat.Obd;
        }

        throw new EvaluationInputException(
            $"{path} is neither a Loops data directory (it has no feedback/ folder) nor an OBD campaign folder (it has no CSV); pass --format or another path.");
    }

    /// <summary>Reads the events of a path.</summary>
    /// <param name="path">An OBD CSV file or folder, or a Loops data directory.</param>
    /// <param name="format">The layout; null detects it.</param>
    /// <param name="policy">For Loops logs, keep only this policy's events; null keeps all.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The events.</returns>
    /// <exception cref="EvaluationInputException">The path or its content is unusable.</exception>
    public static Task<LoggedData> ReadAsync(string path, LogFormat? format, string? policy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return (format ?? Detect(path)) switch
        {
            LogFormat.Loops => JoinedEventLogReader.ReadAsync(path, policy, cancellationToken),
            _ => ObdLogReader.ReadAsync(path, cancellationToken),
        };
    }
}
