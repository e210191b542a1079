using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Evaluation;

namespace Loops.Simulation.Replay;

/// <summary>
/// Reads joined events (<c>loops.v1.JoinedEvent</c>) exported as JSON lines in protobuf's JSON mapping, for logs
/// taken out of a service; a data directory itself is read by <see cref="JoinedEventLogReader"/>. Each decision
/// carries the probability of every candidate action, so non-uniform logs can be replayed.
/// </summary>
internal static class JoinedEventReader
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static async Task<LoggedData> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var events = new List<LoggedEvent>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JoinedEvent joined;
            try
            {
                joined = Parser.Parse<JoinedEvent>(line);
            }
            catch (InvalidProtocolBufferException exception)
            {
                throw new InvalidDataException($"{path}:{number}: not a loops.v1.JoinedEvent: {exception.Message}", exception);
            }

            var decision = joined.Decision;
            if (decision is null || decision.ChosenIndex < 0 || decision.ChosenIndex >= decision.Actions.Count
                || decision.Probabilities.Count != decision.Actions.Count || decision.Probabilities[decision.ChosenIndex] <= 0)
            {
                throw new InvalidDataException($"{path}:{number}: the decision needs its actions, a probability per action and a chosen index.");
            }

            events.Add(new LoggedEvent
            {
                Round = events.Count,
                Position = 0,
                Context = decision.Context,
                Actions = decision.Actions,
                LoggedAction = decision.ChosenIndex,
                LoggingProbability = decision.Probabilities[decision.ChosenIndex],
                Reward = joined.Reward,
                EventId = decision.EventId,
                LoggingDistribution = decision.Probabilities,
            });
        }

        return new LoggedData(Path.GetFullPath(path), LogFormat.Loops, events);
    }
}
