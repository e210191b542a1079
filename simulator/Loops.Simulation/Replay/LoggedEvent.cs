using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Simulation.Replay;

/// <summary>
/// One logged decision with its outcome, whatever its source: the context, the candidate actions, the chosen one,
/// the logging policy's probabilities (all of them when known, else null) and the reward.
/// </summary>
internal sealed record LoggedEvent(
    IReadOnlyList<Feature> Context,
    IReadOnlyList<Action> Actions,
    int Chosen,
    double ChosenProbability,
    IReadOnlyList<double>? Probabilities,
    double Reward);
