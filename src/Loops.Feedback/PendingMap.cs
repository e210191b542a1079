using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Loops.Feedback;

/// <summary>
/// Pending decisions by the key of their event id, spread over many dictionaries. A window can hold millions of decisions, and one
/// dictionary that large doubles by copying all of its entries at once, under the store's lock, stalling every
/// decision for tens of milliseconds; a shard grows in steps a hundredth of that size.
/// Not thread-safe: the store calls it under its lock.
/// </summary>
internal sealed class PendingMap
{
    private const int ShardCount = 64;

    private readonly Dictionary<EventKey, PendingDecision>[] _shards =
        Enumerable.Range(0, ShardCount).Select(_ => new Dictionary<EventKey, PendingDecision>()).ToArray();

    private int _count;

    public int Count => _count;

    public bool ContainsKey(EventKey key) => ShardOf(key).ContainsKey(key);

    public bool TryGetValue(EventKey key, out PendingDecision pending) => ShardOf(key).TryGetValue(key, out pending);

    /// <summary>The entry of a key, added (default) when missing; valid until the map is next changed.</summary>
    public ref PendingDecision GetValueRefOrAddDefault(EventKey key, out bool exists)
    {
        ref var pending = ref CollectionsMarshal.GetValueRefOrAddDefault(ShardOf(key), key, out exists);
        _count += exists ? 0 : 1;
        return ref pending;
    }

    /// <summary>The entry of a key, or a null reference; valid until the map is next changed.</summary>
    public ref PendingDecision GetValueRefOrNullRef(EventKey key) =>
        ref CollectionsMarshal.GetValueRefOrNullRef(ShardOf(key), key);

    public bool Remove(EventKey key, out PendingDecision pending)
    {
        var removed = ShardOf(key).Remove(key, out pending);
        _count -= removed ? 1 : 0;
        return removed;
    }

    /// <summary>Whether <paramref name="copy"/> suits a copy of <paramref name="count"/> entries (see <see cref="Reserve"/>).</summary>
    public static bool Fits(KeyValuePair<EventKey, PendingDecision>[] copy, int count)
    {
        var needed = count + (count / 16) + 1024;
        return copy.Length >= needed && copy.Length / 4 <= needed;
    }

    /// <summary>
    /// An array for a copy of about <paramref name="count"/> entries: <paramref name="copy"/> when it fits and is not
    /// four times too large, else a new one with room to grow, its memory touched here. A checkpoint copies the map
    /// under the store's lock, and on a virtual machine the first write to a fresh page costs microseconds: faulting
    /// in tens of megabytes under the lock (or on the journal's writer, which decisions wait for) stalled every
    /// decision for up to a hundred milliseconds. Call it on a thread nothing waits for.
    /// </summary>
    public static KeyValuePair<EventKey, PendingDecision>[] Reserve(KeyValuePair<EventKey, PendingDecision>[] copy, int count)
    {
        if (Fits(copy, count))
        {
            return copy;
        }

        var reserved = GC.AllocateUninitializedArray<KeyValuePair<EventKey, PendingDecision>>(count + (count / 4) + 1024);
        reserved.AsSpan().Clear();
        return reserved;
    }

    /// <summary>
    /// Copies every entry into <paramref name="copy"/> (see <see cref="Reserve"/>), replaced by a larger array when it
    /// is too small; returns how many were copied.
    /// </summary>
    public int CopyTo(ref KeyValuePair<EventKey, PendingDecision>[] copy)
    {
        if (copy.Length < _count)
        {
            copy = GC.AllocateUninitializedArray<KeyValuePair<EventKey, PendingDecision>>(_count + (_count / 4));
        }

        var at = 0;
        foreach (var shard in _shards)
        {
            ((ICollection<KeyValuePair<EventKey, PendingDecision>>)shard).CopyTo(copy, at);
            at += shard.Count;
        }

        return at;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Dictionary<EventKey, PendingDecision> ShardOf(EventKey key) =>
        _shards[(int)((ulong)(key.Value >> 64) % ShardCount)];
}
