namespace Loops.Constraints.Ledgers;

/// <summary>
/// The ledger of a single process: in memory, journalled to <c>{data}/constraints/ledger.bin</c> before a
/// reservation or release is acknowledged, so caps and budgets survive a restart. Operations are serialised by one
/// asynchronous gate, which also keeps the journal in the order the state changed.
/// </summary>
public sealed class EmbeddedConstraintLedger : IConstraintLedger
{
    private readonly LedgerState _state;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly FileStream _journal;

    private EmbeddedConstraintLedger(LedgerState state, FileStream journal)
    {
        _state = state;
        _journal = journal;
    }

    /// <summary>Opens the ledger under a data directory: replays its journal, drops what expired and compacts it.</summary>
    /// <param name="dataDirectory">The service's data directory.</param>
    /// <param name="nowUnixMs">The current time, to drop expired reservations.</param>
    public static EmbeddedConstraintLedger Open(string dataDirectory, long nowUnixMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var directory = Path.Combine(dataDirectory, "constraints");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "ledger.bin");
        var ledger = new LedgerState();
        LedgerJournal.Replay(path, ledger);
        ledger.Expire(nowUnixMs);
        LedgerJournal.Rewrite(path, ledger.Reservations);
        var journal = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1, useAsync: true);
        return new EmbeddedConstraintLedger(ledger, journal);
    }

    /// <inheritdoc />
    public async ValueTask CheckAsync(IReadOnlyList<Charge> charges, long nowUnixMs, Memory<bool> fits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _state.Expire(nowUnixMs);
            var flags = fits.Span;
            for (var i = 0; i < charges.Count; i++)
            {
                flags[i] = _state.Fits(charges[i], nowUnixMs);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> TryReserveAsync(string eventId, IReadOnlyList<Charge> charges, long nowUnixMs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        ArgumentNullException.ThrowIfNull(charges);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _state.Expire(nowUnixMs);
            if (_state.Contains(eventId))
            {
                return -1;
            }

            var misfit = _state.FirstMisfit(charges, nowUnixMs);
            if (misfit >= 0)
            {
                return misfit;
            }

            var reservation = new Reservation(eventId, nowUnixMs, charges.ToArray());
            await AppendAsync(LedgerJournal.EncodeReservation(reservation)).ConfigureAwait(false);
            _state.Apply(reservation);
            return -1;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReleaseAsync(string eventId, long nowUnixMs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _state.Expire(nowUnixMs);
            if (!_state.Contains(eventId))
            {
                return false;
            }

            await AppendAsync(LedgerJournal.EncodeRelease(eventId)).ConfigureAwait(false);
            return _state.Release(eventId);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _journal.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Not cancellable once started: a half-written record would be ignored on replay, but the state would differ.
    private async Task AppendAsync(byte[] record)
    {
        await _journal.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
        await _journal.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
