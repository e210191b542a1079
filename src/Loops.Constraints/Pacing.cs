namespace Loops.Constraints;

/// <summary>
/// The pacing rule of a budget. Periods are aligned to the Unix epoch (a daily budget runs from 00:00 UTC). By time
/// t of a period, total spend may reach amount × min(1, elapsed share of the period + burst share): spend follows a
/// straight line over the period with a small head start, like a token bucket refilled evenly.
/// </summary>
public static class Pacing
{
    /// <summary>The index of the period that contains <paramref name="nowUnixMs"/>.</summary>
    public static long PeriodIndex(long nowUnixMs, TimeSpan period) => nowUnixMs / (long)period.TotalMilliseconds;

    /// <summary>When the period containing <paramref name="nowUnixMs"/> ends, in Unix milliseconds.</summary>
    public static long PeriodEndUnixMs(long nowUnixMs, TimeSpan period)
    {
        var length = (long)period.TotalMilliseconds;
        return ((nowUnixMs / length) + 1) * length;
    }

    /// <summary>The spend allowed so far in the current period.</summary>
    public static double AllowedSpend(BudgetLimit budget, long nowUnixMs)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (!budget.Pacing)
        {
            return budget.Amount;
        }

        var length = (long)budget.Period.TotalMilliseconds;
        var elapsedShare = (double)(nowUnixMs % length) / length;
        return budget.Amount * Math.Min(1, elapsedShare + budget.BurstShare);
    }
}
