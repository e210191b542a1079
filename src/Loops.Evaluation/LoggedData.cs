namespace Loops.Evaluation;

/// <summary>Logged events read from one source.</summary>
/// <param name="Source">Where they were read from (a file or a data directory).</param>
/// <param name="Format">The layout they were read in.</param>
/// <param name="Events">The events, in log order.</param>
public sealed record LoggedData(string Source, LogFormat Format, IReadOnlyList<LoggedEvent> Events)
{
    /// <summary>The mean logged reward: the logging policy's on-policy value.</summary>
    public double MeanReward => Events.Count == 0 ? double.NaN : Events.Average(e => e.Reward);

    /// <summary>The events shown at one position only (for the Open Bandit Dataset's slots); null keeps every event.</summary>
    /// <param name="position">The position, or null.</param>
    /// <returns>The selected events.</returns>
    /// <exception cref="EvaluationInputException">No event is at that position.</exception>
    public LoggedData AtPosition(int? position)
    {
        if (position is not { } wanted)
        {
            return this;
        }

        var selected = Events.Where(e => e.Position == wanted).ToList();
        if (selected.Count == 0)
        {
            var present = string.Join(", ", Events.Select(e => e.Position).Distinct().Order());
            throw new EvaluationInputException($"no event of {Source} is at position {wanted}; positions present: {present}.");
        }

        return this with { Events = selected };
    }
}
