using Microsoft.Extensions.Logging;

namespace Loops.Training;

/// <summary>The training component's log messages, with stable event ids.</summary>
internal static partial class TrainingLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Loaded policy {Policy}: model version {Version}, {Events} events learned.")]
    public static partial void PolicyLoaded(ILogger logger, string policy, long version, long events);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Created policy {Policy}.")]
    public static partial void PolicyCreated(ILogger logger, string policy);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Changed policy {Policy}; new model: {NewModel}.")]
    public static partial void PolicyChanged(ILogger logger, string policy, bool newModel);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Trainer starts after joined event {Sequence}.")]
    public static partial void TrainerStarted(ILogger logger, long sequence);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Joined event {Sequence} of policy {Policy} could not be learned from: {Reason}")]
    public static partial void EventSkipped(ILogger logger, long sequence, string policy, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Saving model snapshots failed; retrying at the next checkpoint.")]
    public static partial void SnapshotFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "Evaluating the challengers of policy {Policy} failed; the live model is kept.")]
    public static partial void EvaluationFailed(ILogger logger, string policy, Exception exception);
}
