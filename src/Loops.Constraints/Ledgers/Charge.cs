namespace Loops.Constraints.Ledgers;

/// <summary>
/// One limit a decision would draw on: a ledger key, what the decision adds to it and the most the key may hold.
/// A reservation applies all the charges of an action or none.
/// </summary>
/// <param name="Key">The ledger key (includes the policy, the user or the period as the limit needs).</param>
/// <param name="Kind">How the key accumulates.</param>
/// <param name="Amount">What the decision adds: 1 for a count, the action's cost for a sum.</param>
/// <param name="Limit">The most the key may hold after the decision.</param>
/// <param name="WindowMs">For a rolling count, the window; for a period sum, how long until the period ends.</param>
/// <param name="RuleId">The rule this charge enforces, for explanations.</param>
public readonly record struct Charge(string Key, ChargeKind Kind, double Amount, double Limit, long WindowMs, string RuleId)
{
    /// <summary>Tolerates the rounding of sums of decimal amounts, so a budget can be spent exactly.</summary>
    public const double Tolerance = 1e-9;

    /// <summary>True when adding <see cref="Amount"/> to <paramref name="current"/> stays within the limit.</summary>
    public bool Fits(double current) => current + Amount <= Limit + Tolerance;
}
