using System.Globalization;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Evaluation;

/// <summary>
/// A target policy given as a CSV of per-event action probabilities with the header <c>round,action,position,prob</c>:
/// <c>round</c> is the 0-based row number of the logged event (<see cref="LoggedEvent.Round"/>), <c>action</c> an action
/// id of that event (the item_id for OBD logs), <c>position</c> the event's slot (1..3 for OBD, 0 for Loops logs) and
/// <c>prob</c> the policy's probability of that action.
/// </summary>
/// <remarks>
/// Lines for rounds or positions that are not evaluated are ignored (a file may cover every slot while
/// <c>--position</c> selects one). Actions without a line get 0. The probabilities of each evaluated event must
/// sum to 1 (within 1e-6), and no (round, action, position) may repeat.
/// </remarks>
public sealed class ProbabilityFilePolicy : TargetPolicy
{
    private const double SumTolerance = 1e-6;
    private const string Layout = "A probability file has the header round,action,position,prob.";

    private readonly Dictionary<int, int> _offsetByRound;
    private readonly double[] _probabilities;

    private ProbabilityFilePolicy(string path, Dictionary<int, int> offsetByRound, double[] probabilities)
    {
        Description = Path.GetFileName(path);
        _offsetByRound = offsetByRound;
        _probabilities = probabilities;
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <summary>Reads a probability file for the given events.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="events">The events to be evaluated.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="EvaluationInputException">The file is missing, malformed, or does not cover every event.</exception>
    public static async Task<ProbabilityFilePolicy> LoadAsync(string path, IReadOnlyList<LoggedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var offsetByRound = new Dictionary<int, int>(events.Count);
        int total = 0;
        foreach (var loggedEvent in events)
        {
            offsetByRound[loggedEvent.Round] = total;
            total += loggedEvent.Actions.Count;
        }

        var probabilities = new double[total];
        var seen = new bool[total];
        var eventByRound = events.ToDictionary(e => e.Round);
        var actionIndexes = new Dictionary<IReadOnlyList<Action>, Dictionary<string, int>>(ReferenceEqualityComparer.Instance);

        using (var csv = CsvFiles.Open(path))
        {
            var header = await CsvFiles.ReadHeaderAsync(csv, path).ConfigureAwait(false);
            int roundColumn = CsvFiles.Column(header, "round", path, Layout);
            int actionColumn = CsvFiles.Column(header, "action", path, Layout);
            int positionColumn = CsvFiles.Column(header, "position", path, Layout);
            int probColumn = CsvFiles.Column(header, "prob", path, Layout);
            while (await csv.ReadAsync().ConfigureAwait(false))
            {
                int round = CsvFiles.Integer(csv, roundColumn, "round", path);
                int position = CsvFiles.Integer(csv, positionColumn, "position", path);
                if (!eventByRound.TryGetValue(round, out var loggedEvent) || loggedEvent.Position != position)
                {
                    continue;
                }

                double prob = CsvFiles.Number(csv, probColumn, "prob", path);
                if (prob is < 0 or > 1)
                {
                    throw CsvFiles.Bad(csv, "prob", path, csv.GetField(probColumn), "a probability in [0, 1]");
                }

                var actionId = csv.GetField(actionColumn) ?? string.Empty;
                var index = IndexOf(actionIndexes, loggedEvent.Actions);
                if (!index.TryGetValue(actionId, out int action))
                {
                    throw CsvFiles.Bad(csv, "action", path, actionId, $"an action of round {round} ({loggedEvent.Actions.Count} actions)");
                }

                int slot = offsetByRound[round] + action;
                if (seen[slot])
                {
                    throw CsvFiles.Bad(csv, "action", path, actionId, $"listed once per round and position, but round {round} lists it again");
                }

                seen[slot] = true;
                probabilities[slot] = prob;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        CheckSums(path, events, offsetByRound, probabilities, seen);
        return new ProbabilityFilePolicy(path, offsetByRound, probabilities);
    }

    /// <inheritdoc />
    public override bool TryGetDistribution(LoggedEvent loggedEvent, Span<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(loggedEvent);
        if (!_offsetByRound.TryGetValue(loggedEvent.Round, out int offset))
        {
            throw new ArgumentException($"round {loggedEvent.Round} was not loaded from the probability file", nameof(loggedEvent));
        }

        _probabilities.AsSpan(offset, probabilities.Length).CopyTo(probabilities);
        return true;
    }

    private static Dictionary<string, int> IndexOf(Dictionary<IReadOnlyList<Action>, Dictionary<string, int>> cache, IReadOnlyList<Action> actions)
    {
        if (!cache.TryGetValue(actions, out var index))
        {
            index = new Dictionary<string, int>(actions.Count, StringComparer.Ordinal);
            for (int a = 0; a < actions.Count; a++)
            {
                index.TryAdd(actions[a].Id, a);
            }

            cache[actions] = index;
        }

        return index;
    }

    private static void CheckSums(string path, IReadOnlyList<LoggedEvent> events, Dictionary<int, int> offsetByRound, double[] probabilities, bool[] seen)
    {
        foreach (var loggedEvent in events)
        {
            int offset = offsetByRound[loggedEvent.Round];
            var span = probabilities.AsSpan(offset, loggedEvent.Actions.Count);
            if (!seen.AsSpan(offset, loggedEvent.Actions.Count).Contains(true))
            {
                throw new EvaluationInputException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{path} has no probabilities for round {loggedEvent.Round} at position {loggedEvent.Position}. {Layout} Every evaluated round needs its distribution."));
            }

            double sum = 0;
            foreach (double p in span)
            {
                sum += p;
            }

            if (Math.Abs(sum - 1) > SumTolerance)
            {
                throw new EvaluationInputException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{path}: the probabilities of round {loggedEvent.Round} at position {loggedEvent.Position} sum to {sum:G10}, not 1; fix that round's distribution."));
            }
        }
    }
}
