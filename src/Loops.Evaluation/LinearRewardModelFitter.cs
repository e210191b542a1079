using Loops.Core;

namespace Loops.Evaluation;

/// <summary>
/// q̂ = a <see cref="LinearRewardModel"/> (the service's own learner, default <see cref="LearnerSettings"/>) trained by
/// one pass over the training fold in log order, with the same importance-weighted updates as the trainer.
/// </summary>
public sealed class LinearRewardModelFitter : RewardModelFitter
{
    private readonly LearnerSettings _settings;

    /// <summary>Creates the fitter.</summary>
    /// <param name="settings">The learner's settings; the defaults when null.</param>
    public LinearRewardModelFitter(LearnerSettings? settings = null)
    {
        _settings = settings ?? new LearnerSettings();
        _settings.Validate();
    }

    /// <inheritdoc />
    public override string Description => "linear reward model (importance-weighted, one pass), 2-fold cross-fitted";

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
        var model = new LinearRewardModel(_settings);
        foreach (var loggedEvent in training)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var features = DecisionFeatures.Encode(loggedEvent.Context, loggedEvent.Actions);
            model.Learn(features, loggedEvent.LoggedAction, loggedEvent.Reward, loggedEvent.LoggingProbability);
        }

        foreach (int index in predicted)
        {
            var loggedEvent = events[index];
            using var features = DecisionFeatures.Encode(loggedEvent.Context, loggedEvent.Actions);
            model.Predict(features, predictions.For(index));
        }
    }
}
