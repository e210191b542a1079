using Microsoft.Extensions.Logging;

namespace Loops.Feedback;

/// <summary>The log messages of the feedback store.</summary>
internal static partial class FeedbackLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Feedback store recovered from {Directory} in {ElapsedMs} ms: {Records} journal records replayed, {Pending} pending joins, {Orphans} orphan event ids, last joined sequence {LastJoinedSequence}")]
    public static partial void Recovered(ILogger logger, string directory, long elapsedMs, long records, int pending, int orphans, long lastJoinedSequence);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Truncated {File} at offset {Offset}: dropped {DroppedBytes} bytes of a {Status} record at its tail (a crash during a write)")]
    public static partial void TornTailTruncated(ILogger logger, string file, long offset, long droppedBytes, FrameReadStatus status);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Started journal segment {Segment} and wrote a checkpoint of {Pending} pending decisions and {Orphans} orphan event ids ({CheckpointBytes} bytes) covering the ones before")]
    public static partial void JournalRotated(ILogger logger, long segment, int pending, int orphans, long checkpointBytes);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Deleted journal segment {File}: covered by a checkpoint and no pending decision is in it")]
    public static partial void JournalSegmentDeleted(ILogger logger, string file);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Deleted joined segment {File} beyond the retention")]
    public static partial void JoinedSegmentDeleted(ILogger logger, string file);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Writing the feedback journal failed")]
    public static partial void JournalWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Starting journal segment or checkpoint {File} failed; the segments since the last checkpoint are kept")]
    public static partial void JournalRotationFailed(ILogger logger, string file, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Writing {Count} joined events failed; retrying")]
    public static partial void JoinWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Deleting {File} failed")]
    public static partial void FileDeleteFailed(ILogger logger, string file, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "Joined events {FromSequence} to {ToSequence} were deleted by the retention and are skipped")]
    public static partial void JoinedEventsSkipped(ILogger logger, long fromSequence, long toSequence);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information,
        Message = "{Count} joined events found after the last joined marker were not joined again")]
    public static partial void JoinsReconciled(ILogger logger, int count);

    [LoggerMessage(EventId = 12, Level = LogLevel.Critical, Message = "The joiner stopped: no more decisions are joined until restart")]
    public static partial void JoinerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "Starting a new joined segment failed; appending to the current one")]
    public static partial void JoinedRotationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error,
        Message = "{Count} pending decisions could not be read back from the journal (their writes failed) and are dropped unjoined")]
    public static partial void PendingDecisionsLost(ILogger logger, int count);
}
