using Loops.Contracts.V1;

namespace Loops.Contracts;

/// <summary>
/// The answer to a Decide, made from the logged decision alone. Decide answers with it, and a retried Decide gets it
/// again from the decision's record: the log need not keep the response beside the decision it is made of.
/// </summary>
public static class DecisionResponses
{
    /// <summary>The response for a decision that holds its candidate actions, probabilities and scores.</summary>
    /// <param name="decision">The decision, with its actions.</param>
    /// <returns>The response: the chosen action and every candidate, most probable first (ties keep their order).</returns>
    /// <exception cref="ArgumentException">The decision's chosen index or probabilities do not match its actions.</exception>
    public static DecideResponse Of(DecisionEvent decision)
    {
        Check(decision);
        var actions = decision.Actions;
        var probabilities = decision.Probabilities;
        var count = actions.Count;
        var response = new DecideResponse
        {
            EventId = decision.EventId,
            ActionId = actions[decision.ChosenIndex].Id,
            Probability = probabilities[decision.ChosenIndex],
            ModelVersion = decision.ModelVersion,
            Exploratory = decision.Exploratory,
            Control = decision.Control,
        };
        var ranking = response.Ranking;
        ranking.Capacity = count;
        var order = count <= 128 ? stackalloc int[count] : new int[count];
        Rank(decision, order);
        foreach (var index in order)
        {
            ranking.Add(new RankedAction
            {
                ActionId = actions[index].Id,
                Probability = probabilities[index],
                Score = ScoreOf(decision, index),
            });
        }

        return response;
    }

    /// <summary>Throws unless the decision's chosen index and probabilities match its actions.</summary>
    internal static void Check(DecisionEvent decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var count = decision.Actions.Count;
        if ((uint)decision.ChosenIndex >= (uint)count || decision.Probabilities.Count != count)
        {
            throw new ArgumentException(
                $"decision {decision.EventId} chose index {decision.ChosenIndex} of {count} actions with {decision.Probabilities.Count} probabilities.",
                nameof(decision));
        }
    }

    /// <summary>The candidates' indexes, most probable first (then best scored; ties keep their order).</summary>
    internal static void Rank(DecisionEvent decision, Span<int> order)
    {
        // Insertion sort: candidate lists are short, and it is stable, so equal actions keep the caller's order.
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        for (var i = 1; i < order.Length; i++)
        {
            var current = order[i];
            var j = i - 1;
            while (j >= 0 && Before(decision, current, order[j]))
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = current;
        }
    }

    private static bool Before(DecisionEvent decision, int a, int b)
    {
        var probabilities = decision.Probabilities;
        return probabilities[a] > probabilities[b] || (probabilities[a] == probabilities[b] && ScoreOf(decision, a) > ScoreOf(decision, b));
    }

    /// <summary>A candidate's score; decisions logged before scores were kept have none.</summary>
    internal static double ScoreOf(DecisionEvent decision, int index) =>
        index < decision.Scores.Count ? decision.Scores[index] : 0;
}
