namespace Loops.Feedback;

/// <summary>Settings of an <see cref="EmbeddedFeedbackStore"/>.</summary>
public sealed class EmbeddedFeedbackStoreOptions
{
    /// <summary>The smallest accepted <see cref="SegmentBytes"/>.</summary>
    public const long MinSegmentBytes = 4 * 1024;

    /// <summary>The directory under which the store keeps its files (in a <c>feedback</c> subdirectory).</summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>
    /// The size after which a journal segment (not counting its leading checkpoint) or a joined-log segment is closed
    /// and a new one started.
    /// </summary>
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// How many times its checkpoint's size a journal segment grows (at least <see cref="SegmentBytes"/>) before the
    /// next rotation: checkpointing then costs at most this fraction of what is appended. Tests lower it to rotate often.
    /// </summary>
    internal int CheckpointSpacing { get; set; } = 8;

    /// <summary>
    /// Whether a rotation's background work (writing the checkpoint) runs on
    /// the journal's writer instead, so that when rotations happen depends only on what is recorded, not on how busy
    /// the machine is. For tests that count rotations.
    /// </summary>
    internal bool InlineBackgroundWork { get; set; }

    /// <summary>How many bytes of joined-log segments are kept; the oldest segments beyond it are deleted.</summary>
    public long JoinedRetentionBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>
    /// When true every written batch is also flushed to the disk (fsync), surviving a power loss, not just a process crash.
    /// </summary>
    public bool FlushToDisk { get; set; }

    /// <summary>How long a reward for an unknown event id waits for its decision.</summary>
    public TimeSpan OrphanRewardTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many event ids with orphan rewards are kept at most (the oldest are dropped first); it also bounds how many
    /// recently joined event ids are remembered to recognise late rewards.
    /// </summary>
    public int MaxOrphanRewards { get; set; } = 1_000_000;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw Invalid(nameof(DataDirectory), "must name a directory");
        }

        if (SegmentBytes < MinSegmentBytes)
        {
            throw Invalid(nameof(SegmentBytes), $"must be at least {MinSegmentBytes} bytes but was {SegmentBytes}");
        }

        if (JoinedRetentionBytes <= 0)
        {
            throw Invalid(nameof(JoinedRetentionBytes), $"must be positive but was {JoinedRetentionBytes}");
        }

        if (OrphanRewardTtl <= TimeSpan.Zero)
        {
            throw Invalid(nameof(OrphanRewardTtl), $"must be positive but was {OrphanRewardTtl}");
        }

        if (MaxOrphanRewards < 0)
        {
            throw Invalid(nameof(MaxOrphanRewards), $"must not be negative but was {MaxOrphanRewards}");
        }
    }

    private static ArgumentException Invalid(string option, string problem) =>
        new($"{nameof(EmbeddedFeedbackStoreOptions)}.{option} {problem}.", option);
}
