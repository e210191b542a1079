using System.IO.Hashing;

namespace Loops.Contracts;

/// <summary>
/// Hands out one decoded message for the same bytes while it stays in a small per-thread table, as
/// <see cref="SharedStrings"/> does for strings. Requests and logged decisions repeat the same features (a country, a
/// segment) and the same candidate actions (a catalogue of bonuses) over and over: one message each instead of a graph
/// of objects per request spares the decoding and most of the garbage, which would otherwise live until the decision
/// is logged and be promoted by the collector. The messages are shared, so they must not be changed.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
internal static class SharedMessages<T>
    where T : class
{
    // Longer messages (actions with many features) are decoded each time: they are rarely repeated byte for byte.
    private const int MaxBytes = 512;
    private const int Slots = 1024;

    [ThreadStatic]
    private static Entry[]? t_entries;

    /// <summary>Decodes a message's bytes.</summary>
    public delegate T? Decoder(ReadOnlySpan<byte> bytes);

    /// <summary>The message of these bytes: the shared one when the same bytes were decoded recently, else decoded now.</summary>
    /// <returns>The message, or null when <paramref name="decode"/> declines the bytes.</returns>
    public static T? Get(ReadOnlySpan<byte> bytes, Decoder decode)
    {
        if (bytes.Length > MaxBytes)
        {
            return decode(bytes);
        }

        ref var entry = ref (t_entries ??= new Entry[Slots])[(int)XxHash3.HashToUInt64(bytes) & (Slots - 1)];
        if (entry.Bytes is { } known && bytes.SequenceEqual(known))
        {
            return entry.Message;
        }

        var message = decode(bytes);
        if (message is not null)
        {
            entry = new Entry(bytes.ToArray(), message);
        }

        return message;
    }

    private readonly record struct Entry(byte[]? Bytes, T Message);
}
