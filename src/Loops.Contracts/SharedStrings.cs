using System.IO.Hashing;
using System.Text;
using System.Text.Unicode;

namespace Loops.Contracts;

/// <summary>
/// Turns short UTF-8 byte strings into strings, handing out the same string for the same bytes while it stays in a
/// small per-thread table. Requests repeat the same namespaces, names, categories and action ids over and over: one
/// string each instead of one per request spares the decoding and the garbage. The table is bounded, so values of high
/// cardinality only evict each other.
/// </summary>
internal static class SharedStrings
{
    private const int Slots = 2048;

    // Longer strings are rarely repeated names; they are decoded each time.
    private const int MaxBytes = 64;

    [ThreadStatic]
    private static Entry[]? t_entries;

    /// <summary>The string of UTF-8 bytes; false when they are not valid UTF-8.</summary>
    public static bool TryGet(ReadOnlySpan<byte> utf8, out string value)
    {
        value = string.Empty;
        if (utf8.IsEmpty)
        {
            return true;
        }

        if (utf8.Length > MaxBytes)
        {
            return Utf8.IsValid(utf8) && (value = Encoding.UTF8.GetString(utf8)) is not null;
        }

        // Bytes equal to an entry's were valid when it was made: only new strings are checked.
        ref var entry = ref (t_entries ??= new Entry[Slots])[(int)XxHash3.HashToUInt64(utf8) & (Slots - 1)];
        if (entry.Utf8 is { } known && utf8.SequenceEqual(known))
        {
            value = entry.Value;
            return true;
        }

        if (!Utf8.IsValid(utf8))
        {
            return false;
        }

        value = Encoding.UTF8.GetString(utf8);
        entry = new Entry(utf8.ToArray(), value);
        return true;
    }

    private readonly record struct Entry(byte[]? Utf8, string Value);
}
