using System.Globalization;

namespace Loops.Evaluation;

/// <summary>
/// q̂(x, a) = (Σ rewards of a at the event's position + m · r̄) / (count of a at that position + m): the mean logged
/// reward of each (action id, position) in the training fold, shrunk towards the fold's overall mean r̄ with a prior
/// weight of m = <see cref="PriorWeight"/> events. It ignores the context, which suits logs whose logger ignored it
/// too (the OBD's random and Bernoulli Thompson sampling policies) and clicks too rare for a richer model.
/// </summary>
public sealed class ActionPositionMeanRewardModel : RewardModelFitter
{
    /// <summary>m, the weight of the overall mean in every cell, in events: 10.</summary>
    public const double PriorWeight = 10;

    /// <inheritdoc />
    public override string Description =>
        string.Create(CultureInfo.InvariantCulture, $"mean reward per (action, position), shrunk with weight {PriorWeight}, 2-fold cross-fitted");

    /// <inheritdoc />
    protected override void FitFold(
        IReadOnlyList<LoggedEvent> training,
        IReadOnlyList<LoggedEvent> events,
        IReadOnlyList<int> predicted,
        RewardPredictions predictions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(predictions);
        var cells = new Dictionary<(string Action, int Position), (double Sum, int Count)>();
        double total = 0;
        foreach (var loggedEvent in training)
        {
            var key = (loggedEvent.Actions[loggedEvent.LoggedAction].Id, loggedEvent.Position);
            var (sum, count) = cells.GetValueOrDefault(key);
            cells[key] = (sum + loggedEvent.Reward, count + 1);
            total += loggedEvent.Reward;
        }

        double overall = training.Count == 0 ? 0 : total / training.Count;
        foreach (int index in predicted)
        {
            var loggedEvent = events[index];
            var output = predictions.For(index);
            for (int a = 0; a < output.Length; a++)
            {
                var (sum, count) = cells.GetValueOrDefault((loggedEvent.Actions[a].Id, loggedEvent.Position));
                output[a] = (sum + (PriorWeight * overall)) / (count + PriorWeight);
            }
        }
    }
}
