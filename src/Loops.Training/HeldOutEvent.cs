using Loops.Contracts.V1;

namespace Loops.Training;

/// <summary>A joined event held out of the challengers' learning until the candidates are evaluated on it.</summary>
/// <param name="Decision">The logged decision.</param>
/// <param name="Reward">The reward as the models learn it (net of cost under the net-value objective).</param>
internal readonly record struct HeldOutEvent(DecisionEvent Decision, double Reward);
