namespace Loops.Constraints.Ledgers;

/// <summary>
/// Where caps and budgets are counted. Shared by every replica of the service (Redis), or kept by one process
/// (embedded). Reservations are atomic: concurrent decisions never take more than a limit allows.
/// </summary>
public interface IConstraintLedger : IAsyncDisposable
{
    /// <summary>Tells for each charge whether it would fit now (read only).</summary>
    /// <param name="charges">The charges to check.</param>
    /// <param name="nowUnixMs">The decision's time.</param>
    /// <param name="fits">Receives one flag per charge.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    ValueTask CheckAsync(IReadOnlyList<Charge> charges, long nowUnixMs, Memory<bool> fits, CancellationToken cancellationToken);

    /// <summary>
    /// Applies every charge, or none when one does not fit. A second reservation for the same event id succeeds
    /// without charging again (a retried decision).
    /// </summary>
    /// <returns>-1 when reserved; otherwise the index of a charge that does not fit.</returns>
    ValueTask<int> TryReserveAsync(string eventId, IReadOnlyList<Charge> charges, long nowUnixMs, CancellationToken cancellationToken);

    /// <summary>Undoes the reservation of an event (its bonus was never given).</summary>
    /// <returns>True when a reservation was found and released.</returns>
    ValueTask<bool> ReleaseAsync(string eventId, long nowUnixMs, CancellationToken cancellationToken);
}
