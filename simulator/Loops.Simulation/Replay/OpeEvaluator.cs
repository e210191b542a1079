using Loops.Core.Evaluation;
using Loops.Evaluation;

namespace Loops.Simulation.Replay;

/// <summary>
/// Evaluates a replay policy on a log with the shared off-policy estimators (<see cref="OffPolicyEstimators"/>), using
/// every event rather than only those the replay method keeps.
/// </summary>
/// <remarks>
/// A learning policy is evaluated progressively (learn as you go): for event i, its distribution π_i(·|x_i) is taken
/// before it has seen event i, then it learns from the logged action with the logged propensity, as the service's
/// trainer learns from joined events. Each sample therefore depends only on earlier events, and the estimate is the
/// mean value of the sequence of policies the learner went through on this log — what running it online would
/// have earned, not the value of its final model. Fixed policies (uniform, logging, action:ID) are not affected.
/// </remarks>
internal static class OpeEvaluator
{
    /// <summary>The default estimators: IPS, SNIPS and DR.</summary>
    public static IReadOnlyList<OffPolicyEstimator> Default { get; } = [OffPolicyEstimators.Ips, OffPolicyEstimators.Snips, OffPolicyEstimators.Dr];

    /// <summary>Cross-fitted reward predictions for DR: the shared per-(action, position) mean model.</summary>
    public static RewardPredictions FitRewardModel(LoggedData logs, CancellationToken cancellationToken) =>
        new ActionPositionMeanRewardModel().FitAndPredict(logs.Events, cancellationToken);

    public static OpeResult Evaluate(
        string name,
        LoggedData logs,
        RewardPredictions predictions,
        IReplayPolicy policy,
        IReadOnlyList<OffPolicyEstimator> estimators,
        IntervalOptions options)
    {
        var events = logs.Events;
        var samples = new EvaluationSample[events.Count];
        var width = events.Count == 0 ? 0 : events.Max(e => e.Actions.Count);
        var target = new double[width];
        var loggingBuffer = new double[width];
        for (var i = 0; i < events.Count; i++)
        {
            var logged = events[i];
            var probabilities = target.AsSpan(0, logged.Actions.Count);
            policy.Distribution(logged, i, probabilities);
            var logging = Span<double>.Empty;
            if (logged.LoggingDistribution is { } distribution)
            {
                logging = loggingBuffer.AsSpan(0, distribution.Count);
                for (var a = 0; a < distribution.Count; a++)
                {
                    logging[a] = distribution[a];
                }
            }

            samples[i] = EvaluationSample.FromDistributions(
                logged.LoggedAction, logged.LoggingProbability, logged.Reward, probabilities, predictions.For(i), logging);
            policy.Learn(logged, logged.LoggingProbability);
        }

        return new OpeResult(name, events.Count, [.. estimators.Select(e => e.Estimate(samples, options))]);
    }
}
