namespace Loops.Feedback;

/// <summary>What reading the next record of a file found.</summary>
internal enum FrameReadStatus
{
    /// <summary>A complete, intact record.</summary>
    Record,

    /// <summary>The end of the file, exactly at a record boundary.</summary>
    End,

    /// <summary>A partial record at the end of the file (torn by a crash, or still being written).</summary>
    Incomplete,

    /// <summary>A record whose length or checksum is wrong.</summary>
    Corrupt,
}
