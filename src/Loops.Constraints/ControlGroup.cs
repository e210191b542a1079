using Loops.Core;

namespace Loops.Constraints;

/// <summary>
/// Sticky assignment to the control group: a user is in it when a uniform draw seeded by the hash of (policy salt,
/// user id) falls below the control share, so the same user stays in the same group for the policy's life (as long
/// as the share does not change) and two policies split users independently.
/// </summary>
public static class ControlGroup
{
    // Keeps the control draw independent of the sampling draw, which hashes event ids with the plain policy salt.
    private const ulong ControlSalt = 0xC0A7_5A17_0000_0001UL;

    /// <summary>True when the user is in the control group. Requests without a user id are never in it.</summary>
    public static bool Contains(ulong policySalt, string userId, double controlShare)
    {
        ArgumentNullException.ThrowIfNull(userId);
        if (controlShare <= 0 || userId.Length == 0)
        {
            return false;
        }

        return Sampling.UniformUnit(Sampling.SeedOf(userId, policySalt ^ ControlSalt)) < controlShare;
    }
}
