namespace Loops.Constraints.Ledgers;

/// <summary>How a ledger key accumulates.</summary>
public enum ChargeKind
{
    /// <summary>A count of reservations within a rolling window ending now (frequency caps).</summary>
    RollingCount,

    /// <summary>A sum of amounts within a fixed period; the key names the period and expires with it (value caps, budgets).</summary>
    PeriodSum,
}
