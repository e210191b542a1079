using System.Security.Cryptography;

namespace Loops.Service.Decisions;

/// <summary>
/// Makes event ids for decisions that came without one: 128 random bits as 32 lowercase hex digits, the same shape
/// as <c>Guid.ToString("N")</c>. The bits come from the operating system's secure generator, as a Guid's would, but
/// a few kilobytes at a time per thread: a Guid costs a system call each, which showed in Decide's profile.
/// </summary>
internal static class EventIds
{
    private const int IdBytes = 16;
    private const int BufferBytes = 256 * IdBytes;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    /// <summary>A new random event id.</summary>
    public static string New()
    {
        var random = t_random ??= new byte[BufferBytes];
        if (t_used == 0 || t_used == BufferBytes)
        {
            RandomNumberGenerator.Fill(random);
            t_used = 0;
        }

        var id = Convert.ToHexStringLower(random, t_used, IdBytes);
        t_used += IdBytes;
        return id;
    }
}
