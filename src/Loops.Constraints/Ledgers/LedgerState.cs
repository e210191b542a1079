namespace Loops.Constraints.Ledgers;

/// <summary>
/// The in-memory ledger: live reservations by event id and, derived from them, the current value of every key.
/// A reservation is dropped once none of its charges can matter any more (its windows and periods are over).
/// Not thread-safe: the owner serialises access.
/// </summary>
internal sealed class LedgerState
{
    private readonly Dictionary<string, Reservation> _reservations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _sums = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<long>> _counts = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _expiry = new();

    public int ReservationCount => _reservations.Count;

    public IEnumerable<Reservation> Reservations => _reservations.Values;

    public bool Fits(in Charge charge, long nowUnixMs) => charge.Fits(Current(charge, nowUnixMs));

    public int FirstMisfit(IReadOnlyList<Charge> charges, long nowUnixMs)
    {
        for (var i = 0; i < charges.Count; i++)
        {
            if (!Fits(charges[i], nowUnixMs))
            {
                return i;
            }
        }

        return -1;
    }

    public bool Contains(string eventId) => _reservations.ContainsKey(eventId);

    public void Apply(Reservation reservation)
    {
        if (!_reservations.TryAdd(reservation.EventId, reservation))
        {
            return;
        }

        foreach (var charge in reservation.Charges)
        {
            if (charge.Kind == ChargeKind.RollingCount)
            {
                if (!_counts.TryGetValue(charge.Key, out var times))
                {
                    _counts[charge.Key] = times = [];
                }

                times.Add(reservation.AtUnixMs);
            }
            else
            {
                _sums[charge.Key] = _sums.GetValueOrDefault(charge.Key) + charge.Amount;
            }
        }

        _expiry.Enqueue(reservation.EventId, reservation.ExpiresAtUnixMs);
    }

    public bool Release(string eventId)
    {
        if (!_reservations.Remove(eventId, out var reservation))
        {
            return false;
        }

        Undo(reservation);
        return true;
    }

    public void Expire(long nowUnixMs)
    {
        while (_expiry.TryPeek(out var eventId, out var expiresAt) && expiresAt <= nowUnixMs)
        {
            _expiry.Dequeue();
            if (_reservations.Remove(eventId, out var reservation))
            {
                Undo(reservation);
            }
        }
    }

    private double Current(in Charge charge, long nowUnixMs)
    {
        if (charge.Kind == ChargeKind.PeriodSum)
        {
            return _sums.GetValueOrDefault(charge.Key);
        }

        if (!_counts.TryGetValue(charge.Key, out var times))
        {
            return 0;
        }

        var since = nowUnixMs - charge.WindowMs;
        var count = 0;
        foreach (var time in times)
        {
            count += time > since ? 1 : 0;
        }

        return count;
    }

    private void Undo(Reservation reservation)
    {
        foreach (var charge in reservation.Charges)
        {
            if (charge.Kind == ChargeKind.RollingCount)
            {
                if (_counts.TryGetValue(charge.Key, out var times))
                {
                    times.Remove(reservation.AtUnixMs);
                    if (times.Count == 0)
                    {
                        _counts.Remove(charge.Key);
                    }
                }
            }
            else if (_sums.TryGetValue(charge.Key, out var sum))
            {
                var left = sum - charge.Amount;
                if (Math.Abs(left) <= Charge.Tolerance)
                {
                    _sums.Remove(charge.Key);
                }
                else
                {
                    _sums[charge.Key] = left;
                }
            }
        }
    }
}
