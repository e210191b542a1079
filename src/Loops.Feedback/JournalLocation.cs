namespace Loops.Feedback;

/// <summary>Where a journal record is: its segment, the offset of its frame and the frame's length (header included).</summary>
/// <param name="Segment">The number of the segment file.</param>
/// <param name="Length">The frame's length in bytes, header included.</param>
/// <param name="Offset">The frame's offset in the segment.</param>
internal readonly record struct JournalLocation(int Segment, int Length, long Offset)
{
    /// <summary>The offset just after the frame.</summary>
    public long End => Offset + Length;

    /// <summary>Whether this record was appended after <paramref name="other"/>.</summary>
    public bool IsAfter(JournalLocation other) => Segment != other.Segment ? Segment > other.Segment : Offset > other.Offset;
}
