namespace Loops.Feedback;

/// <summary>What recording a reward did.</summary>
internal enum RewardOutcome
{
    /// <summary>Added to its pending decision.</summary>
    Pending,

    /// <summary>Kept as an orphan until its decision arrives.</summary>
    Orphan,

    /// <summary>Its decision's window had already closed; not counted.</summary>
    Late,
}
