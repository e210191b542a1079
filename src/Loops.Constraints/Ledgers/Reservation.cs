namespace Loops.Constraints.Ledgers;

/// <summary>The charges a decision took, kept until they cannot matter any more or the decision is released.</summary>
/// <param name="EventId">The decision's event id.</param>
/// <param name="AtUnixMs">When the decision was made.</param>
/// <param name="Charges">What it took.</param>
internal sealed record Reservation(string EventId, long AtUnixMs, IReadOnlyList<Charge> Charges)
{
    /// <summary>When the last of its windows or periods ends.</summary>
    public long ExpiresAtUnixMs => AtUnixMs + (Charges.Count == 0 ? 0 : Charges.Max(c => c.WindowMs));
}
