using Loops.Core.Evaluation;

namespace Loops.Evaluation;

/// <summary>What to evaluate, on what, and how.</summary>
public sealed record EvaluationRequest
{
    /// <summary>The estimators run when none are named: every one of <see cref="OffPolicyEstimators.Names"/>.</summary>
    public static IReadOnlyList<string> DefaultEstimators => OffPolicyEstimators.Names;

    /// <summary>The logged events.</summary>
    public required LoggedData Logs { get; init; }

    /// <summary>The policy to evaluate.</summary>
    public required TargetPolicy Target { get; init; }

    /// <summary>
    /// The estimators by name; null runs <see cref="DefaultEstimators"/>, skipping the model-based ones when the target
    /// does not give full distributions. Naming a model-based one for such a target is an error.
    /// </summary>
    public IReadOnlyList<string>? Estimators { get; init; }

    /// <summary>How to compute the intervals.</summary>
    public IntervalOptions Interval { get; init; } = IntervalOptions.Default;

    /// <summary>The reward model of DM and the DR family.</summary>
    public RewardModelKind RewardModel { get; init; } = RewardModelKind.Auto;

    /// <summary>τ of switch-DR.</summary>
    public double SwitchThreshold { get; init; } = SwitchDoublyRobust.DefaultThreshold;

    /// <summary>The threshold of the support diagnostic.</summary>
    public double SupportThreshold { get; init; } = WeightDiagnostics.DefaultSupportThreshold;
}
