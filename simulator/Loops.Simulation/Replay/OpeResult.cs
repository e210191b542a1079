using Loops.Core.Evaluation;

namespace Loops.Simulation.Replay;

/// <summary>A policy's off-policy estimates on a log, one per estimator, in the order the estimators were given.</summary>
internal sealed record OpeResult(string Policy, int Events, IReadOnlyList<OffPolicyEstimate> Estimates);
