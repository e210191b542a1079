using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Loops.Feedback;

/// <summary>
/// Rebuilds a <see cref="FeedbackState"/> from the newest checkpoint and the journal segments after it, and reopens
/// the newest segment for appending.
/// </summary>
/// <remarks>
/// A checkpoint <c>checkpoint-N.log</c> holds the state after every record of the segments before <c>journal-N.log</c>
/// (pending decisions by where their records are, not their bytes); it is written aside and renamed when complete.
/// Segments before it are kept only while a pending decision's record is in them. Journals of older versions have
/// no checkpoint files: their newest segment starts with a checkpoint of its own that holds the pending decisions'
/// bytes, which then stay where they are like any other record.
/// </remarks>
internal static class JournalRecovery
{
    public static async Task<RecoveredJournal> RecoverAsync(
        string directory, FeedbackState state, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var pattern in new[] { SegmentFiles.JournalPrefix + "-*.log.tmp", SegmentFiles.CheckpointPrefix + "-*.log.tmp" })
        {
            foreach (var leftover in Directory.EnumerateFiles(directory, pattern))
            {
                // A checkpoint that was being written when the process died; the segments it was to cover are all kept.
                File.Delete(leftover);
            }
        }

        long records = 0;
        long checkpointLength = 0;
        var start = 0;
        var checkpoints = SegmentFiles.List(directory, SegmentFiles.CheckpointPrefix);
        if (checkpoints.Count > 0)
        {
            var (number, path) = checkpoints[^1];
            (records, checkpointLength) = await LoadCheckpointAsync(path, state, cancellationToken);
            start = checked((int)number);
            foreach (var (_, older) in checkpoints.SkipLast(1))
            {
                DeleteFile(older, logger);
            }
        }

        var segments = SegmentFiles.List(directory, SegmentFiles.JournalPrefix);
        if (checkpoints.Count == 0)
        {
            start = await FindStartAsync(segments, cancellationToken);
        }

        var files = new Dictionary<int, SafeFileHandle>();
        try
        {
            var replayed = segments.Where(segment => segment.Number >= start).ToList();
            if (replayed.Count == 0)
            {
                replayed.Add((Math.Max(start, 1), SegmentFiles.PathOf(directory, SegmentFiles.JournalPrefix, Math.Max(start, 1))));
            }

            long length = 0;
            foreach (var (number, path) in replayed)
            {
                var file = OpenForAppend(path);
                files.Add(checked((int)number), file);
                (var read, length) = await ReplayAsync(file, checked((int)number), path, state, logger, cancellationToken);
                records += read;
            }

            foreach (var (number, path) in segments.Where(segment => segment.Number < start))
            {
                if (state.IsReferenced(checked((int)number)))
                {
                    files.Add((int)number, OpenForAppend(path));
                }
                else
                {
                    DeleteFile(path, logger);
                }
            }

            var missing = state.ReferencedSegments.Where(number => !files.ContainsKey(number)).Order().ToList();
            if (missing.Count > 0)
            {
                throw new InvalidDataException(
                    $"Pending decisions are in journal segments {string.Join(", ", missing)} of {directory}, which are missing.");
            }

            var (lastNumber, _) = replayed[^1];
            var segment = new JournalSegment(files[(int)lastNumber], (int)lastNumber, length);
            return new RecoveredJournal(segment, files, Math.Max(start, 1), checkpointLength, records);
        }
        catch
        {
            foreach (var file in files.Values)
            {
                file.Dispose();
            }

            throw;
        }
    }

    public static SafeFileHandle OpenForAppend(string path) =>
        File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);

    /// <summary>Applies a checkpoint file; it must be complete, as the rename that published it promised.</summary>
    private static async Task<(long Records, long Length)> LoadCheckpointAsync(
        string path, FeedbackState state, CancellationToken cancellationToken)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        var reader = new FrameReader(file, 0);
        long records = 0;
        while (await reader.ReadNextAsync(cancellationToken) == FrameReadStatus.Record)
        {
            records++;
            if (JournalCodec.Apply(reader.Body.Span, state, default) == JournalRecordKind.CheckpointEnd)
            {
                return (records, reader.Offset);
            }
        }

        throw new InvalidDataException($"The journal checkpoint {path} is incomplete.");
    }

    /// <summary>
    /// Without checkpoint files, replay starts at the first segment, or at the newest that starts with a checkpoint
    /// of an older version (the ones before it are leftovers of its rotation).
    /// </summary>
    private static async Task<int> FindStartAsync(List<(long Number, string Path)> segments, CancellationToken cancellationToken)
    {
        for (var index = segments.Count - 1; index >= 0; index--)
        {
            var (number, path) = segments[index];
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var reader = new FrameReader(file, 0);
            if (await reader.ReadNextAsync(cancellationToken) == FrameReadStatus.Record
                && (JournalRecordKind)reader.Body.Span[0] == JournalRecordKind.CheckpointStart)
            {
                return checked((int)number);
            }
        }

        return segments.Count > 0 ? checked((int)segments[0].Number) : 1;
    }

    private static async Task<(long Records, long Length)> ReplayAsync(
        SafeFileHandle file, int number, string path, FeedbackState state, ILogger logger, CancellationToken cancellationToken)
    {
        var reader = new FrameReader(file, 0);
        long records = 0;
        while (true)
        {
            var offset = reader.Offset;
            var status = await reader.ReadNextAsync(cancellationToken);
            if (status != FrameReadStatus.Record)
            {
                if (status != FrameReadStatus.End)
                {
                    var length = RandomAccess.GetLength(file);
                    FeedbackLog.TornTailTruncated(logger, path, reader.Offset, length - reader.Offset, status);
                    RandomAccess.SetLength(file, reader.Offset);
                }

                return (records, reader.Offset);
            }

            records++;
            JournalCodec.Apply(reader.Body.Span, state, new JournalLocation(number, (int)(reader.Offset - offset), offset));
        }
    }

    private static void DeleteFile(string path, ILogger logger)
    {
        File.Delete(path);
        FeedbackLog.JournalSegmentDeleted(logger, path);
    }
}
