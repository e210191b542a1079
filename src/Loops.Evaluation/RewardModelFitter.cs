namespace Loops.Evaluation;

/// <summary>
/// Fits a reward model on logged events by two-fold cross-fitting: events at even positions in the list are predicted
/// by a model fitted on the odd ones and vice versa, so no event's prediction has seen its own reward (which would
/// bias DR towards DM).
/// </summary>
public abstract class RewardModelFitter
{
    /// <summary>What the model is, for reports.</summary>
    public abstract string Description { get; }

    /// <summary>Fits and predicts q̂(x_i, a) for every event and action.</summary>
    /// <param name="events">The events (at least two).</param>
    /// <param name="cancellationToken">Stops the fit.</param>
    /// <returns>The cross-fitted predictions.</returns>
    public RewardPredictions FitAndPredict(IReadOnlyList<LoggedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var predictions = new RewardPredictions(events);
        for (int fold = 0; fold < 2; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int heldOut = fold;
            var training = Enumerable.Range(0, events.Count).Where(i => i % 2 != heldOut).Select(i => events[i]).ToList();
            var predicted = Enumerable.Range(0, events.Count).Where(i => i % 2 == heldOut).ToList();
            FitFold(training, events, predicted, predictions, cancellationToken);
        }

        return predictions;
    }

    /// <summary>Fits on <paramref name="training"/> and writes the predictions of the events at <paramref name="predicted"/>.</summary>
    /// <param name="training">The events to fit on.</param>
    /// <param name="events">All events.</param>
    /// <param name="predicted">The indexes (in <paramref name="events"/>) to predict.</param>
    /// <param name="predictions">Receives the predictions.</param>
    /// <param name="cancellationToken">Stops the fit.</param>
    protected abstract void FitFold(
        IReadOnlyList<LoggedEvent> training,
        IReadOnlyList<LoggedEvent> events,
        IReadOnlyList<int> predicted,
        RewardPredictions predictions,
        CancellationToken cancellationToken);
}
