using Microsoft.Win32.SafeHandles;

namespace Loops.Feedback;

/// <summary>
/// Reads single records back from journal segments by their location, checking that the frame there is intact and
/// is the decision expected: a record whose batch failed to be written is found as padding (or not at all), never as
/// someone else's bytes.
/// </summary>
internal static class JournalReads
{
    /// <summary>The protobuf bytes of the decision with that event id at <paramref name="location"/>, or null.</summary>
    public static ReadOnlyMemory<byte>? ReadDecision(SafeFileHandle? file, JournalLocation location, string eventId)
    {
        var frame = ReadFrame(file, location);
        if (frame is null)
        {
            return null;
        }

        var body = frame.AsSpan(RecordFrame.HeaderSize);
        var (start, length) = JournalCodec.DecisionRange(body);
        if (!JournalCodec.IsDecisionOf(body.Slice(start, length), eventId))
        {
            return null;
        }

        return frame.AsMemory(RecordFrame.HeaderSize + start, length);
    }

    /// <summary>The encoded response stored with the decision with that event id at <paramref name="location"/>, or null.</summary>
    public static byte[]? ReadResponse(SafeFileHandle? file, JournalLocation location, string eventId)
    {
        var frame = ReadFrame(file, location);
        if (frame is null || !JournalCodec.IsDecisionOf(JournalCodec.DecisionOf(frame.AsSpan(RecordFrame.HeaderSize)), eventId))
        {
            return null;
        }

        var response = JournalCodec.ResponseOf(frame.AsSpan(RecordFrame.HeaderSize));
        return response.IsEmpty ? null : response.ToArray();
    }

    // The whole frame in one read: the page cache usually holds it, recent records certainly.
    private static byte[]? ReadFrame(SafeFileHandle? file, JournalLocation location)
    {
        if (file is null || location.Length <= RecordFrame.HeaderSize || location.Length > RecordFrame.HeaderSize + RecordFrame.MaxBodySize)
        {
            return null;
        }

        var frame = GC.AllocateUninitializedArray<byte>(location.Length);
        try
        {
            var read = 0;
            while (read < frame.Length)
            {
                var count = RandomAccess.Read(file, frame.AsSpan(read), location.Offset + read);
                if (count == 0)
                {
                    return null;
                }

                read += count;
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            return null;
        }

        var header = frame.AsSpan(0, RecordFrame.HeaderSize);
        var body = frame.AsSpan(RecordFrame.HeaderSize);
        return RecordFrame.ReadBodyLength(header) == body.Length && RecordFrame.IsIntact(header, body) ? frame : null;
    }
}
