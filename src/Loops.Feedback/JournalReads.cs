using Loops.Contracts;
using Loops.Contracts.V1;
using Microsoft.Win32.SafeHandles;

namespace Loops.Feedback;

/// <summary>
/// Reads records back from journal segments by their location, checking that the frame there is intact and is the
/// decision expected: a record whose batch failed to be written is found as padding (or not at all), never as
/// someone else's bytes.
/// </summary>
internal static class JournalReads
{
    // Records due together were mostly appended together: a run of them is read with one call, skipping gaps up to
    // this size, in arrays small enough to stay off the large object heap.
    private const int MaxRunBytes = RunBuffers.ChunkBytes;
    private const int MaxGapBytes = 8 * 1024;

    /// <summary>The protobuf bytes of the decision with that event id at <paramref name="location"/>, or null.</summary>
    public static ReadOnlyMemory<byte>? ReadDecision(SafeFileHandle? file, JournalLocation location, string eventId)
    {
        var frame = ReadFrame(file, location);
        return frame is null ? null : DecisionIn(frame, eventId);
    }

    /// <summary>
    /// Reads the decisions of <paramref name="due"/> (each from the file at the same index of <paramref name="files"/>)
    /// into <paramref name="decisions"/>, null for one that cannot be read back. The bytes are in buffers of
    /// <paramref name="buffers"/>: valid until it is reset.
    /// </summary>
    public static void ReadDecisions(
        List<DueJoin> due, List<SafeFileHandle?> files, List<ReadOnlyMemory<byte>?> decisions, RunBuffers buffers)
    {
        var index = 0;
        while (index < due.Count)
        {
            var first = due[index].Location;
            var runEnd = first.End;
            var end = index + 1;
            while (end < due.Count && files[end] == files[index])
            {
                var next = due[end].Location;
                if (next.Segment != first.Segment || next.Offset < runEnd || next.Offset - runEnd > MaxGapBytes
                    || next.End - first.Offset > MaxRunBytes)
                {
                    break;
                }

                runEnd = next.End;
                end++;
            }

            var run = buffers.Take((int)(runEnd - first.Offset));
            var read = files[index] is { } file ? ReadFully(file, run.Span, first.Offset) : 0;
            for (; index < end; index++)
            {
                var location = due[index].Location;
                var start = (int)(location.Offset - first.Offset);
                decisions.Add(start + location.Length <= read && IsIntact(run.Span.Slice(start, location.Length))
                    ? DecisionIn(run.Slice(start, location.Length), due[index].Key)
                    : null);
            }
        }
    }

    /// <summary>
    /// The response to the decision with that event id at <paramref name="location"/>: the one journaled with it by
    /// earlier versions, else the one made from the decision; null when the record cannot be read.
    /// </summary>
    public static DecideResponse? ReadResponse(SafeFileHandle? file, JournalLocation location, string eventId)
    {
        var frame = ReadFrame(file, location);
        if (frame is null || DecisionIn(frame, eventId) is not { } decision)
        {
            return null;
        }

        var response = JournalCodec.ResponseOf(frame.AsSpan(RecordFrame.HeaderSize));
        if (!response.IsEmpty)
        {
            return DecideResponse.Parser.ParseFrom(response);
        }

        try
        {
            return DecisionResponses.Of(DecisionEvent.Parser.ParseFrom(decision.Span));
        }
        catch (ArgumentException)
        {
            // A decision without the actions its choice points to: the retry gets its own answer.
            return null;
        }
    }

    // The cast: a bare null would convert to an empty memory through byte[].
    private static ReadOnlyMemory<byte>? DecisionIn(ReadOnlyMemory<byte> frame, EventKey key) =>
        DecisionOf(frame) is var decision && JournalCodec.IsDecisionOf(decision.Span, key) ? decision : (ReadOnlyMemory<byte>?)null;

    private static ReadOnlyMemory<byte>? DecisionIn(ReadOnlyMemory<byte> frame, string eventId) =>
        DecisionOf(frame) is var decision && JournalCodec.IsDecisionOf(decision.Span, eventId) ? decision : (ReadOnlyMemory<byte>?)null;

    private static ReadOnlyMemory<byte> DecisionOf(ReadOnlyMemory<byte> frame)
    {
        var body = frame[RecordFrame.HeaderSize..];
        var (start, length) = JournalCodec.DecisionRange(body.Span);
        return body.Slice(start, length);
    }

    // The whole frame in one read: the page cache usually holds it, recent records certainly.
    private static byte[]? ReadFrame(SafeFileHandle? file, JournalLocation location)
    {
        if (file is null || location.Length <= RecordFrame.HeaderSize || location.Length > RecordFrame.HeaderSize + RecordFrame.MaxBodySize)
        {
            return null;
        }

        var frame = GC.AllocateUninitializedArray<byte>(location.Length);
        return ReadFully(file, frame, location.Offset) == frame.Length && IsIntact(frame) ? frame : null;
    }

    private static bool IsIntact(ReadOnlySpan<byte> frame)
    {
        if (frame.Length <= RecordFrame.HeaderSize)
        {
            return false;
        }

        var header = frame[..RecordFrame.HeaderSize];
        var body = frame[RecordFrame.HeaderSize..];
        return RecordFrame.ReadBodyLength(header) == body.Length && RecordFrame.IsIntact(header, body);
    }

    // How many bytes were read: fewer than asked at the end of the file, none when it cannot be read.
    private static int ReadFully(SafeFileHandle file, Span<byte> destination, long offset)
    {
        var read = 0;
        try
        {
            while (read < destination.Length)
            {
                var count = RandomAccess.Read(file, destination[read..], offset + read);
                if (count == 0)
                {
                    break;
                }

                read += count;
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            return 0;
        }

        return read;
    }
}
