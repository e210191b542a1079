using Microsoft.Win32.SafeHandles;

namespace Loops.Feedback;

/// <summary>What recovering the journal left open for the writer.</summary>
/// <param name="Segment">The newest segment, to append to.</param>
/// <param name="Files">Every kept segment by number, the newest included, open for reading pending decisions back.</param>
/// <param name="CheckpointNumber">The segment the newest checkpoint was taken at: the ones before it are covered by it.</param>
/// <param name="CheckpointLength">The newest checkpoint's size in bytes (0 when none).</param>
/// <param name="Records">How many records were read, checkpoint included.</param>
internal sealed record RecoveredJournal(
    JournalSegment Segment, Dictionary<int, SafeFileHandle> Files, int CheckpointNumber, long CheckpointLength, long Records);
