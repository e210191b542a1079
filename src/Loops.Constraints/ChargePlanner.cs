using Loops.Constraints.Ledgers;

namespace Loops.Constraints;

/// <summary>Lists the ledger charges giving an action to a user would take now: its frequency caps, the user's value cap and the budget.</summary>
internal static class ChargePlanner
{
    public static Charge[] Plan(ConstraintSet set, string policy, string userId, string actionId, double cost, long nowUnixMs)
    {
        if (string.Equals(actionId, set.NoBonusActionId, StringComparison.Ordinal) || !set.UsesLedger)
        {
            return [];
        }

        var charges = new List<Charge>(set.FrequencyCaps.Count + 2);
        foreach (var cap in set.FrequencyCaps)
        {
            if (cap.ActionId == ConstraintSet.AnyBonus || string.Equals(cap.ActionId, actionId, StringComparison.Ordinal))
            {
                charges.Add(new Charge(
                    LedgerKeys.Frequency(policy, cap.RuleId, userId), ChargeKind.RollingCount, 1, cap.MaxCount, (long)cap.Window.TotalMilliseconds, cap.RuleId));
            }
        }

        if (cost > 0 && set.ValueCap is { } valueCap)
        {
            charges.Add(new Charge(
                LedgerKeys.UserValue(policy, userId, Pacing.PeriodIndex(nowUnixMs, valueCap.Period)),
                ChargeKind.PeriodSum,
                cost,
                valueCap.MaxCost,
                Pacing.PeriodEndUnixMs(nowUnixMs, valueCap.Period) - nowUnixMs,
                "value_cap"));
        }

        if (cost > 0 && set.Budget is { } budget)
        {
            var allowed = Pacing.AllowedSpend(budget, nowUnixMs);
            charges.Add(new Charge(
                LedgerKeys.Budget(policy, Pacing.PeriodIndex(nowUnixMs, budget.Period)),
                ChargeKind.PeriodSum,
                cost,
                allowed,
                Pacing.PeriodEndUnixMs(nowUnixMs, budget.Period) - nowUnixMs,
                allowed < budget.Amount ? "budget.pacing" : "budget"));
        }

        return [.. charges];
    }
}
