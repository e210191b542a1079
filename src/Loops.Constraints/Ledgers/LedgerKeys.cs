using System.Globalization;

namespace Loops.Constraints.Ledgers;

/// <summary>
/// Names of ledger keys. A reservation is found by its event id alone (ReleaseDecision names nothing else), so the
/// scripts touch keys of several policies: the Redis ledger needs one primary (standalone or Sentinel), not a cluster.
/// </summary>
public static class LedgerKeys
{
    /// <summary>The prefix of every key.</summary>
    public const string Prefix = "loops:c:";

    /// <summary>The key of a frequency cap for a user.</summary>
    public static string Frequency(string policy, string capId, string userId) => $"{Prefix}{policy}:fc:{capId}:{userId}";

    /// <summary>The key of a user's value cap in a period.</summary>
    public static string UserValue(string policy, string userId, long period) =>
        $"{Prefix}{policy}:vc:{period.ToString(CultureInfo.InvariantCulture)}:{userId}";

    /// <summary>The key of a policy's budget in a period.</summary>
    public static string Budget(string policy, long period) => $"{Prefix}{policy}:budget:{period.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The key of a decision's reservation.</summary>
    public static string Reservation(string eventId) => $"{Prefix}res:{eventId}";
}
