using Loops.Contracts.V1;

namespace Loops.Training;

/// <summary>
/// A policy's validated retraining settings: its challengers (each a complete policy configuration) and when to
/// evaluate them against the live model. Immutable.
/// </summary>
public sealed class RetrainingPlan
{
    /// <summary>The plan of a policy without retraining settings: no challengers, evaluation every 1,000 events.</summary>
    public static readonly RetrainingPlan None = new([], 1000, TimeSpan.Zero, 500, 0.95, autoRollback: false, baselineActionId: null);

    private RetrainingPlan(
        IReadOnlyList<(string Name, PolicySettings Settings)> challengers,
        int evaluateEveryEvents,
        TimeSpan evaluateEvery,
        int windowEvents,
        double confidence,
        bool autoRollback,
        string? baselineActionId)
    {
        BaselineActionId = baselineActionId;
        Challengers = challengers;
        EvaluateEveryEvents = evaluateEveryEvents;
        EvaluateEvery = evaluateEvery;
        WindowEvents = windowEvents;
        Confidence = confidence;
        AutoRollback = autoRollback;
    }

    /// <summary>The challengers, by name, with the settings they learn under.</summary>
    public IReadOnlyList<(string Name, PolicySettings Settings)> Challengers { get; }

    /// <summary>Joined events between evaluations.</summary>
    public int EvaluateEveryEvents { get; }

    /// <summary>The time after which an evaluation is due even before <see cref="EvaluateEveryEvents"/>; zero for never.</summary>
    public TimeSpan EvaluateEvery { get; }

    /// <summary>The size of the held-out window the candidates are evaluated on.</summary>
    public int WindowEvents { get; }

    /// <summary>The confidence level of the intervals.</summary>
    public double Confidence { get; }

    /// <summary>Whether the live model is rolled back when its on-policy reward falls below the previous version's.</summary>
    public bool AutoRollback { get; }

    /// <summary>The action the baseline always takes when allowed; null for a uniform baseline.</summary>
    public string? BaselineActionId { get; }

    /// <summary>Whether the trainer evaluates this policy at all.</summary>
    public bool IsActive => Challengers.Count > 0 || AutoRollback;

    /// <summary>Validates the retraining settings of a definition (already validated otherwise).</summary>
    /// <exception cref="InvalidPolicyException">A setting is out of range, or a challenger is invalid.</exception>
    internal static RetrainingPlan From(Policy definition)
    {
        var settings = definition.Retraining;
        if (settings is null)
        {
            return None;
        }

        if (settings.EvaluateEveryEvents < 0 || settings.EvaluationWindowEvents < 0)
        {
            throw new InvalidPolicyException("policy.retraining.evaluate_every_events and evaluation_window_events must not be negative.");
        }

        if (!double.IsFinite(settings.EvaluateEverySeconds) || settings.EvaluateEverySeconds < 0)
        {
            throw new InvalidPolicyException("policy.retraining.evaluate_every_seconds must be a non-negative number.");
        }

        if (!(settings.Confidence == 0 || (settings.Confidence > 0 && settings.Confidence < 1)))
        {
            throw new InvalidPolicyException("policy.retraining.confidence must be strictly between 0 and 1 (0 means 0.95).");
        }

        var window = settings.EvaluationWindowEvents == 0 ? 500 : settings.EvaluationWindowEvents;
        var every = settings.EvaluateEveryEvents == 0 ? 1000 : settings.EvaluateEveryEvents;
        if (window < 10 || window > every)
        {
            throw new InvalidPolicyException(
                $"policy.retraining.evaluation_window_events must be between 10 and evaluate_every_events ({every}), got {window}.");
        }

        var challengers = new List<(string, PolicySettings)>();
        foreach (var challenger in settings.Challengers)
        {
            var name = challenger.Name;
            if (name.Length == 0 || name is "champion" or "baseline" || challengers.Exists(c => c.Item1 == name))
            {
                throw new InvalidPolicyException(
                    $"policy.retraining.challengers: name '{name}' must be non-empty, unique and neither 'champion' nor 'baseline'.");
            }

            challengers.Add((name, ChallengerSettings(definition, challenger)));
        }

        return new RetrainingPlan(
            challengers,
            every,
            TimeSpan.FromSeconds(settings.EvaluateEverySeconds),
            window,
            settings.Confidence == 0 ? 0.95 : settings.Confidence,
            settings.AutoRollback,
            BaselineAction(definition));
    }

    private static string? BaselineAction(Policy definition)
    {
        var named = definition.Retraining.BaselineActionId;
        if (named.Length > 0)
        {
            // Actions may come with each request, so only a catalogue can be checked here.
            if (definition.Actions.Count > 0 && !definition.Actions.Any(a => a.Id == named))
            {
                throw new InvalidPolicyException(
                    $"policy.retraining.baseline_action_id '{named}' is not an action of the policy's catalogue.");
            }

            return named;
        }

        return definition.Constraints?.BaselineActionId is { Length: > 0 } control ? control : null;
    }

    /// <summary>The definition a challenger stands for: the policy's, with the challenger's algorithm, settings and epsilon.</summary>
    internal static Policy ChallengerDefinition(Policy definition, Challenger challenger)
    {
        var derived = definition.Clone();
        derived.Retraining = null;
        if (challenger.Algorithm.Length > 0)
        {
            derived.Algorithm = challenger.Algorithm;
        }

        if (challenger.AlgorithmSettings is not null)
        {
            derived.AlgorithmSettings = challenger.AlgorithmSettings.Clone();
        }

        if (challenger.Learning is not null)
        {
            derived.Learning = challenger.Learning.Clone();
        }

        if (challenger.Epsilon >= 0)
        {
            derived.Epsilon = challenger.Epsilon;
        }

        return derived;
    }

    private static PolicySettings ChallengerSettings(Policy definition, Challenger challenger)
    {
        try
        {
            return PolicyValidator.Validate(ChallengerDefinition(definition, challenger));
        }
        catch (InvalidPolicyException ex)
        {
            throw new InvalidPolicyException($"policy.retraining.challengers['{challenger.Name}']: {ex.Message}");
        }
    }
}
