using System.Text;

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

    /// <summary>The string of valid UTF-8 bytes.</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        ref var entry = ref (t_entries ??= new Entry[Slots])[hash.ToHashCode() & (Slots - 1)];
        if (entry.Utf8 is { } known && utf8.SequenceEqual(known))
        {
            return entry.Value;
        }

        var value = Encoding.UTF8.GetString(utf8);
        entry = new Entry(utf8.ToArray(), value);
        return value;
    }

    private readonly record struct Entry(byte[]? Utf8, string Value);
}
