using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Loops.Feedback;

/// <summary>
/// An event id as the pending state keeps it: the 128-bit XXH3 hash of its UTF-8 bytes. A key holds no reference, so
/// the millions of pending decisions of a long window are nothing for the garbage collector to trace, and no event id
/// string outlives its request to be promoted through the generations. Two ids of one store sharing a key is about
/// as likely as guessing a random 128-bit number; records read back by key are still checked against it.
/// </summary>
/// <param name="Value">The hash.</param>
public readonly record struct EventKey(UInt128 Value)
{
    // Event ids are short (a Decide limits them to 256 characters); longer ones from other callers use a rented buffer.
    private const int StackBytes = 1024;

    /// <summary>The key of an event id.</summary>
    public static EventKey Of(string eventId)
    {
        var length = Encoding.UTF8.GetMaxByteCount(eventId.Length);
        byte[]? rented = null;
        var utf8 = length <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            return Of(utf8[..Encoding.UTF8.GetBytes(eventId, utf8)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The key of an event id given as its UTF-8 bytes.</summary>
    public static EventKey Of(ReadOnlySpan<byte> utf8) => new(XxHash128.HashToUInt128(utf8));
}
