using Microsoft.Extensions.Logging;

namespace Loops.Feedback;

/// <summary>Replays the journal into a <see cref="FeedbackState"/> and reopens its last segment for appending.</summary>
internal static class JournalRecovery
{
    public static async Task<(JournalSegment Segment, long Records)> RecoverAsync(
        string directory, FeedbackState state, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var leftover in Directory.EnumerateFiles(directory, SegmentFiles.JournalPrefix + "-*.log.tmp"))
        {
            // A checkpoint that was being written when the process died; the segment before it is still complete.
            File.Delete(leftover);
        }

        var segments = SegmentFiles.List(directory, SegmentFiles.JournalPrefix);
        if (segments.Count == 0)
        {
            var path = SegmentFiles.PathOf(directory, SegmentFiles.JournalPrefix, 1);
            return (new JournalSegment(OpenForAppend(path), 1, 0, 0), 0);
        }

        // Every segment after the first starts with a complete checkpoint (written aside, then renamed), so the
        // newest one alone holds the whole state; older ones are leftovers of an interrupted rotation.
        var (number, latest) = segments[^1];
        foreach (var (_, older) in segments.SkipLast(1))
        {
            File.Delete(older);
            FeedbackLog.JournalSegmentDeleted(logger, older);
        }

        var file = OpenForAppend(latest);
        try
        {
            var reader = new FrameReader(file, 0);
            long records = 0;
            long checkpointLength = 0;
            while (true)
            {
                var status = await reader.ReadNextAsync(cancellationToken);
                if (status != FrameReadStatus.Record)
                {
                    var length = RandomAccess.GetLength(file);
                    if (status != FrameReadStatus.End)
                    {
                        FeedbackLog.TornTailTruncated(logger, latest, reader.Offset, length - reader.Offset, status);
                        RandomAccess.SetLength(file, reader.Offset);
                    }

                    return (new JournalSegment(file, number, reader.Offset, checkpointLength), records);
                }

                records++;
                if (JournalCodec.Apply(reader.Body.Span, state) == JournalRecordKind.CheckpointEnd)
                {
                    checkpointLength = reader.Offset;
                }
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenForAppend(string path) =>
        File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
}
