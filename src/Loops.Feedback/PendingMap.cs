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

    /// <summary>
    /// Copies every entry into <paramref name="copy"/>, replaced by a larger array when it is too small (or by a
    /// smaller one when it is four times too large); returns how many were copied. Reusing the array spares a
    /// checkpoint, which copies the map under the store's lock, from zeroing and faulting in tens of megabytes each time.
    /// </summary>
    public int CopyTo(ref KeyValuePair<EventKey, PendingDecision>[] copy)
    {
        if (copy.Length < _count || copy.Length / 4 > _count)
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
