using Loops.Evaluation;

namespace Loops.Simulation.Replay;

/// <summary>
/// Reads the logs <c>replay</c> evaluates on, through the shared readers of <see cref="Loops.Evaluation"/>: the Open
/// Bandit Dataset (<see cref="ObdLogReader"/>), a Loops data directory's joined events
/// (<see cref="JoinedEventLogReader"/>), or joined events exported as JSON lines (<see cref="JoinedEventReader"/>).
/// </summary>
internal static class ReplayLogs
{
    /// <summary>
    /// Reads one OBD campaign. The shared reader leaves the logger's full distribution unknown, because the file has
    /// only the chosen item's propensity; the "random" behaviour policy is uniform by construction (see the dataset's
    /// SOURCE.md), so its distribution is filled in here, which is what lets the replay method run on it.
    /// </summary>
    public static async Task<LoggedData> ReadObdAsync(string root, string behavior, string campaign, int limit, CancellationToken cancellationToken)
    {
        var data = await ObdLogReader.ReadAsync(Path.Combine(root, behavior, campaign), cancellationToken).ConfigureAwait(false);
        var events = data.Events.Take(limit);
        if (behavior == "random")
        {
            events = events.Select(WithUniformDistribution);
        }

        return data with { Events = [.. events] };
    }

    private static LoggedEvent WithUniformDistribution(LoggedEvent logged)
    {
        var count = logged.Actions.Count;
        return new LoggedEvent
        {
            Round = logged.Round,
            Position = logged.Position,
            Context = logged.Context,
            Actions = logged.Actions,
            LoggedAction = logged.LoggedAction,
            LoggingProbability = 1.0 / count,
            Reward = logged.Reward,
            EventId = logged.EventId,
            LoggingDistribution = Enumerable.Repeat(1.0 / count, count).ToArray(),
        };
    }
}
