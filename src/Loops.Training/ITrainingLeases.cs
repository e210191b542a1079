namespace Loops.Training;

/// <summary>
/// Which policies this process trains. Alone, it trains them all; replicas sharing Redis each train the policies
/// whose lease they hold, so every joined event is learned once per policy and the others follow the versions the
/// trainer stores.
/// </summary>
public interface ITrainingLeases
{
    /// <summary>Whether this process trains the policy now.</summary>
    bool Trains(string policy);

    /// <summary>Grows each time this process starts training a policy (the trainer then reads from that policy's position).</summary>
    long Generation { get; }
}

/// <summary>The leases of a process alone with its store: it trains every policy.</summary>
public sealed class SoleTrainer : ITrainingLeases
{
    /// <inheritdoc />
    public bool Trains(string policy) => true;

    /// <inheritdoc />
    public long Generation => 0;
}
