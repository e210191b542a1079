namespace Loops.Simulation.Replay;

/// <summary>A policy evaluated on logs: chooses among a logged event's actions, and learns from matched events.</summary>
internal interface IReplayPolicy
{
    /// <summary>Chooses an action for the event's context; <paramref name="index"/> seeds any randomness.</summary>
    int Choose(LoggedEvent loggedEvent, int index);

    /// <summary>Learns from an event whose logged action the policy chose (the replay method's history).</summary>
    void Learn(LoggedEvent loggedEvent, double probability);
}
