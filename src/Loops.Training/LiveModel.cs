using Loops.Core.Policies;

namespace Loops.Training;

/// <summary>
/// The model decisions are made with and the version they report, swapped as one reference so that a decision never
/// pairs one version's number with another version's model.
/// </summary>
/// <param name="Policy">The bandit policy (learned state and explorer).</param>
/// <param name="Version">The stored version it is, or was last saved as.</param>
public sealed record LiveModel(BanditPolicy Policy, long Version);
