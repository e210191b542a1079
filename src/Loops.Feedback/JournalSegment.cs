using Microsoft.Win32.SafeHandles;

namespace Loops.Feedback;

/// <summary>The open journal segment that records are appended to.</summary>
/// <param name="File">The open file.</param>
/// <param name="Number">The segment number in its name.</param>
/// <param name="Length">Where the next record goes.</param>
internal sealed record JournalSegment(SafeFileHandle File, int Number, long Length);
