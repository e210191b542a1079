namespace Loops.Training;

/// <summary>How often the trainer snapshots its models.</summary>
public sealed class TrainerOptions
{
    /// <summary>The time between model snapshots (each one is a new model version). Default 5 s.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(5);
}
