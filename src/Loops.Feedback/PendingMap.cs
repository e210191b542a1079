using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Loops.Feedback;

/// <summary>
/// Pending decisions by event id, spread over many dictionaries. A window can hold millions of decisions, and one
/// dictionary that large doubles by copying all of its entries at once, under the store's lock, stalling every
/// decision for tens of milliseconds; a shard grows in steps a hundredth of that size.
/// Not thread-safe: the store calls it under its lock.
/// </summary>
internal sealed class PendingMap
{
    private const int ShardCount = 64;

    private readonly Dictionary<string, PendingDecision>[] _shards =
        Enumerable.Range(0, ShardCount).Select(_ => new Dictionary<string, PendingDecision>(StringComparer.Ordinal)).ToArray();

    private int _count;

    public int Count => _count;

    public bool ContainsKey(string eventId) => ShardOf(eventId).ContainsKey(eventId);

    public bool TryGetValue(string eventId, out PendingDecision pending) => ShardOf(eventId).TryGetValue(eventId, out pending);

    /// <summary>The entry of an event id, added (default) when missing; valid until the map is next changed.</summary>
    public ref PendingDecision GetValueRefOrAddDefault(string eventId, out bool exists)
    {
        ref var pending = ref CollectionsMarshal.GetValueRefOrAddDefault(ShardOf(eventId), eventId, out exists);
        _count += exists ? 0 : 1;
        return ref pending;
    }

    /// <summary>The entry of an event id, or a null reference; valid until the map is next changed.</summary>
    public ref PendingDecision GetValueRefOrNullRef(string eventId) =>
        ref CollectionsMarshal.GetValueRefOrNullRef(ShardOf(eventId), eventId);

    public bool Remove(string eventId, out PendingDecision pending)
    {
        var removed = ShardOf(eventId).Remove(eventId, out pending);
        _count -= removed ? 1 : 0;
        return removed;
    }

    /// <summary>Copies every entry.</summary>
    public KeyValuePair<string, PendingDecision>[] ToArray()
    {
        var all = new KeyValuePair<string, PendingDecision>[_count];
        var at = 0;
        foreach (var shard in _shards)
        {
            ((ICollection<KeyValuePair<string, PendingDecision>>)shard).CopyTo(all, at);
            at += shard.Count;
        }

        return all;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Dictionary<string, PendingDecision> ShardOf(string eventId) =>
        _shards[(int)((uint)StringComparer.Ordinal.GetHashCode(eventId) % ShardCount)];
}
