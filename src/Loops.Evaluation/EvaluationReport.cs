using Loops.Core.Evaluation;

namespace Loops.Evaluation;

/// <summary>The estimates of one target policy on one set of logged events.</summary>
/// <param name="Source">Where the events were read from.</param>
/// <param name="Format">Their layout.</param>
/// <param name="Target">The target policy's description.</param>
/// <param name="RewardModel">The reward model's description, or null when no model-based estimator ran.</param>
/// <param name="LoggedMeanReward">The mean logged reward (the logging policy's on-policy value).</param>
/// <param name="Diagnostics">Effective sample size, weights and support of the target on these events.</param>
/// <param name="Estimates">One estimate per estimator that ran.</param>
/// <param name="Skipped">Estimators that could not run, with the reason.</param>
public sealed record EvaluationReport(
    string Source,
    LogFormat Format,
    string Target,
    string? RewardModel,
    double LoggedMeanReward,
    WeightDiagnostics Diagnostics,
    IReadOnlyList<OffPolicyEstimate> Estimates,
    IReadOnlyList<SkippedEstimator> Skipped);

/// <summary>An estimator that did not run.</summary>
/// <param name="Estimator">Its name.</param>
/// <param name="Reason">Why.</param>
public sealed record SkippedEstimator(string Estimator, string Reason);
