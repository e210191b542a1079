using Loops.Evaluation;

namespace Loops.Simulation.Replay;

/// <summary>A policy evaluated on logs: chooses among a logged event's actions, and learns from logged events.</summary>
internal interface IReplayPolicy
{
    /// <summary>Chooses an action for the event's context; <paramref name="index"/> seeds any randomness.</summary>
    int Choose(LoggedEvent loggedEvent, int index);

    /// <summary>
    /// Writes the policy's probability of every action of the event, as <see cref="Choose"/> would draw from it with
    /// the same <paramref name="index"/> (the off-policy estimators need the whole distribution, not one draw).
    /// </summary>
    void Distribution(LoggedEvent loggedEvent, int index, Span<double> probabilities);

    /// <summary>Learns from an event's logged action, whose probability under the data it learns from is <paramref name="probability"/>.</summary>
    void Learn(LoggedEvent loggedEvent, double probability);
}
