using System.Globalization;
using Loops.Feedback;

namespace Loops.Evaluation;

/// <summary>
/// Reads the joined events of a Loops data directory (the embedded store's <c>feedback/joined-*.log</c> segments)
/// as logged events: the decision's context, actions and logged probabilities, with the combined reward (the default
/// reward when none arrived in the window).
/// </summary>
public static class JoinedEventLogReader
{
    /// <summary>Reads every joined event of a data directory, optionally of one policy only.</summary>
    /// <param name="dataDirectory">The service's data directory (the one holding <c>feedback/</c>).</param>
    /// <param name="policy">Keep only this policy's decisions; null keeps all.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The events in join order; <see cref="LoggedEvent.Round"/> numbers them from 0.</returns>
    /// <exception cref="EvaluationInputException">No joined log, or an unusable decision.</exception>
    public static async Task<LoggedData> ReadAsync(string dataDirectory, string? policy, CancellationToken cancellationToken)
    {
        if (!JoinedLogFiles.Exists(dataDirectory))
        {
            throw new EvaluationInputException(
                $"{dataDirectory} has no joined-event log ({Path.Combine("feedback", "joined-*.log")}); give the service's data directory.");
        }

        var events = new List<LoggedEvent>();
        try
        {
            await foreach (var record in JoinedLogFiles.ReadAsync(dataDirectory, cancellationToken).ConfigureAwait(false))
            {
                var decision = record.Event.Decision;
                if (decision is null || (policy is not null && decision.Policy != policy))
                {
                    continue;
                }

                int chosen = decision.ChosenIndex;
                if (decision.Probabilities.Count != decision.Actions.Count || (uint)chosen >= (uint)decision.Actions.Count
                    || !(decision.Probabilities[chosen] > 0))
                {
                    throw new EvaluationInputException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"joined event {record.Sequence} (event id '{decision.EventId}') has {decision.Actions.Count} actions, {decision.Probabilities.Count} probabilities and chosen index {chosen}: it cannot be evaluated on."));
                }

                events.Add(new LoggedEvent
                {
                    Round = events.Count,
                    Position = 0,
                    Context = decision.Context,
                    Actions = decision.Actions,
                    LoggedAction = chosen,
                    LoggingProbability = decision.Probabilities[chosen],
                    Reward = record.Event.Reward,
                    LoggingDistribution = decision.Probabilities,
                    EventId = decision.EventId,
                });
            }
        }
        catch (InvalidDataException exception)
        {
            throw new EvaluationInputException($"the joined-event log of {dataDirectory} is damaged: {exception.Message}", exception);
        }

        if (events.Count == 0)
        {
            throw new EvaluationInputException(policy is null
                ? $"the joined-event log of {dataDirectory} is empty."
                : $"the joined-event log of {dataDirectory} has no event of policy '{policy}'.");
        }

        return new LoggedData(Path.GetFullPath(dataDirectory), LogFormat.Loops, events);
    }
}
