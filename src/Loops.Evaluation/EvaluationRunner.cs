using System.Buffers;
using Loops.Core.Evaluation;

namespace Loops.Evaluation;

/// <summary>Runs off-policy estimators on logged events for a target policy.</summary>
public static class EvaluationRunner
{
    /// <summary>Evaluates the request's target on its events.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Stops the evaluation.</param>
    /// <returns>The report.</returns>
    /// <exception cref="EvaluationInputException">An unknown estimator, one the target cannot serve, or invalid options.</exception>
    public static EvaluationReport Run(EvaluationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var events = request.Logs.Events;
        if (events.Count < 2)
        {
            throw new EvaluationInputException($"{request.Logs.Source} has {events.Count} event(s); at least 2 are needed.");
        }

        var estimators = Resolve(request);
        bool fullDistributions = GivesFullDistributions(request.Target, events);
        var skipped = new List<SkippedEstimator>();
        if (!fullDistributions)
        {
            foreach (var estimator in estimators.Where(e => e.UsesRewardModel))
            {
                if (request.Estimators is not null)
                {
                    throw new EvaluationInputException(
                        $"{estimator.Name} needs the target's probability of every action, but '{request.Target.Description}' gives only the logged action's on {request.Logs.Source}; run ips or snips.");
                }

                skipped.Add(new SkippedEstimator(estimator.Name, $"'{request.Target.Description}' gives only the logged action's probability"));
            }

            estimators = estimators.Where(e => !e.UsesRewardModel).ToList();
        }

        RewardModelFitter? fitter = estimators.Any(e => e.UsesRewardModel) ? CreateFitter(request) : null;
        var predictions = fitter?.FitAndPredict(events, cancellationToken);
        var samples = BuildSamples(events, request.Target, predictions, request.SupportThreshold, cancellationToken);
        var estimates = new List<OffPolicyEstimate>(estimators.Count);
        try
        {
            foreach (var estimator in estimators)
            {
                cancellationToken.ThrowIfCancellationRequested();
                estimates.Add(estimator.Estimate(samples, request.Interval, request.SupportThreshold));
            }
        }
        catch (ArgumentException exception)
        {
            throw new EvaluationInputException(exception.Message, exception);
        }

        return new EvaluationReport(
            request.Logs.Source,
            request.Logs.Format,
            request.Target.Description,
            fitter?.Description,
            request.Logs.MeanReward,
            WeightDiagnostics.Compute(samples, request.SupportThreshold),
            estimates,
            skipped);
    }

    /// <summary>
    /// Turns events into estimator samples: the target's probabilities, the reward model's predictions (when given)
    /// and the logger's distribution (when logged).
    /// </summary>
    /// <param name="events">The events.</param>
    /// <param name="target">The target policy.</param>
    /// <param name="predictions">Cross-fitted reward predictions, or null.</param>
    /// <param name="supportThreshold">The threshold of the support diagnostic.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>One sample per event.</returns>
    public static EvaluationSample[] BuildSamples(
        IReadOnlyList<LoggedEvent> events,
        TargetPolicy target,
        RewardPredictions? predictions,
        double supportThreshold,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(target);
        int maxActions = events.Count == 0 ? 0 : events.Max(e => e.Actions.Count);
        var distribution = ArrayPool<double>.Shared.Rent(Math.Max(maxActions, 1));
        var logging = ArrayPool<double>.Shared.Rent(Math.Max(maxActions, 1));
        try
        {
            var samples = new EvaluationSample[events.Count];
            for (int i = 0; i < events.Count; i++)
            {
                if ((i & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var loggedEvent = events[i];
                int count = loggedEvent.Actions.Count;
                var targetProbabilities = distribution.AsSpan(0, count);
                if (!target.TryGetDistribution(loggedEvent, targetProbabilities))
                {
                    samples[i] = new EvaluationSample(
                        loggedEvent.LoggingProbability, target.ProbabilityOfLoggedAction(loggedEvent), loggedEvent.Reward);
                    continue;
                }

                ReadOnlySpan<double> loggingSpan = default;
                if (loggedEvent.LoggingDistribution is { } loggedDistribution)
                {
                    for (int a = 0; a < count; a++)
                    {
                        logging[a] = loggedDistribution[a];
                    }

                    loggingSpan = logging.AsSpan(0, count);
                }

                samples[i] = EvaluationSample.FromDistributions(
                    loggedEvent.LoggedAction,
                    loggedEvent.LoggingProbability,
                    loggedEvent.Reward,
                    targetProbabilities,
                    predictions is null ? default : predictions.For(i),
                    loggingSpan,
                    supportThreshold);
            }

            return samples;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(distribution);
            ArrayPool<double>.Shared.Return(logging);
        }
    }

    private static List<OffPolicyEstimator> Resolve(EvaluationRequest request)
    {
        var names = request.Estimators ?? EvaluationRequest.DefaultEstimators;
        if (names.Count == 0)
        {
            throw new EvaluationInputException($"no estimator named; use some of {string.Join(", ", OffPolicyEstimators.Names)}.");
        }

        try
        {
            return names.Distinct(StringComparer.OrdinalIgnoreCase).Select(name => OffPolicyEstimators.Create(name, request.SwitchThreshold)).ToList();
        }
        catch (ArgumentException exception)
        {
            throw new EvaluationInputException(exception.Message, exception);
        }
    }

    private static bool GivesFullDistributions(TargetPolicy target, IReadOnlyList<LoggedEvent> events)
    {
        // A policy answers alike for every event of one log; asking the first is enough.
        var probe = new double[events[0].Actions.Count];
        return target.TryGetDistribution(events[0], probe);
    }

    private static RewardModelFitter CreateFitter(EvaluationRequest request) => request.RewardModel switch
    {
        RewardModelKind.ActionPositionMean => new ActionPositionMeanRewardModel(),
        RewardModelKind.Linear => new LinearRewardModelFitter(),
        _ => request.Logs.Format == LogFormat.Obd ? new ActionPositionMeanRewardModel() : new LinearRewardModelFitter(),
    };
}
