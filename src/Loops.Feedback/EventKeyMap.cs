using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Loops.Feedback;

/// <summary>
/// Values by the key of their event id (pending decisions, orphan rewards), spread over many dictionaries. A window can
/// hold millions of decisions, and a dictionary doubles by copying all of its entries at once into fresh memory, under
/// the store's lock, stalling every decision meanwhile: on this project's 2-core virtual machine a dictionary of
/// pending decisions took 11 ms to grow past 36,000 entries and 44 ms past 156,000. With 1,024 shards, three million
/// pending decisions (a minute's window at 50,000 decisions/s) are about 3,000 a shard, whose growth takes about a
/// millisecond. Not thread-safe: the store calls it under its lock.
/// </summary>
internal sealed class EventKeyMap<TValue>
    where TValue : struct
{
    /// <summary>How many shards the entries are spread over.</summary>
    public const int ShardCount = 1024;

    private readonly Dictionary<EventKey, TValue>[] _shards =
        Enumerable.Range(0, ShardCount).Select(_ => new Dictionary<EventKey, TValue>()).ToArray();

    // The last snapshot (see Freeze): each shard's entries at that moment once copied, and whether it is still to be.
    private readonly KeyValuePair<EventKey, TValue>[][] _copies =
        Enumerable.Range(0, ShardCount).Select(_ => Array.Empty<KeyValuePair<EventKey, TValue>>()).ToArray();

    private readonly int[] _copyCounts = new int[ShardCount];
    private readonly bool[] _frozen = new bool[ShardCount];

    private int _count;

    public int Count => _count;

    public bool ContainsKey(EventKey key) => ShardOf(key).ContainsKey(key);

    public bool TryGetValue(EventKey key, out TValue value) => ShardOf(key).TryGetValue(key, out value);

    /// <summary>The entry of a key, added (default) when missing; valid until the map is next changed.</summary>
    public ref TValue GetValueRefOrAddDefault(EventKey key, out bool exists)
    {
        ref var value = ref CollectionsMarshal.GetValueRefOrAddDefault(ChangingShardOf(key), key, out exists);
        _count += exists ? 0 : 1;
        return ref value;
    }

    /// <summary>The entry of a key to change, or a null reference; valid until the map is next changed.</summary>
    public ref TValue GetValueRefOrNullRef(EventKey key) =>
        ref CollectionsMarshal.GetValueRefOrNullRef(ChangingShardOf(key), key);

    public bool Remove(EventKey key, out TValue value)
    {
        var removed = ChangingShardOf(key).Remove(key, out value);
        _count -= removed ? 1 : 0;
        return removed;
    }

    /// <summary>
    /// Marks the state a snapshot is of; returns how many entries it has. The entries are copied a shard at a time
    /// afterwards: by <see cref="FrozenShard"/>, or just before the shard is first changed. A checkpoint of millions of
    /// decisions copied whole held the store's lock for tens of milliseconds; a shard's copy holds it a thousandth
    /// of that.
    /// </summary>
    public int Freeze()
    {
        _frozen.AsSpan().Fill(true);
        return _count;
    }

    /// <summary>
    /// The entries shard <paramref name="shard"/> (0 to <see cref="ShardCount"/> − 1) had at the last
    /// <see cref="Freeze"/>; valid until the next one.
    /// </summary>
    public ArraySegment<KeyValuePair<EventKey, TValue>> FrozenShard(int shard)
    {
        PreserveIfFrozen(shard);
        return new(_copies[shard], 0, _copyCounts[shard]);
    }

    /// <summary>
    /// Lists the shards whose copy array the next snapshot would nearly outgrow, with the length each should get (see
    /// <see cref="InstallCopy"/>).
    /// </summary>
    public void CopiesToGrow(List<(int Shard, int Length)> grow)
    {
        for (var shard = 0; shard < ShardCount; shard++)
        {
            // An empty shard copies nothing, so it needs no array; most are empty while a store is nearly idle.
            var count = _shards[shard].Count;
            if (count > 0 && _copies[shard].Length < count + (count / 16) + 16)
            {
                grow.Add((shard, count + (count / 4) + 64));
            }
        }
    }

    /// <summary>
    /// Gives a shard a larger copy array, prepared (its memory touched) off the lock: on a virtual machine the first
    /// write to each fresh page costs microseconds, and a shard copied into fresh memory held the lock for milliseconds.
    /// A snapshot being read keeps the array it was given.
    /// </summary>
    public void InstallCopy(int shard, KeyValuePair<EventKey, TValue>[] copy)
    {
        if (copy.Length > _copies[shard].Length)
        {
            _copies[shard] = copy;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Dictionary<EventKey, TValue> ChangingShardOf(EventKey key)
    {
        var shard = ShardIndexOf(key);
        PreserveIfFrozen(shard);
        return _shards[shard];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PreserveIfFrozen(int shard)
    {
        if (_frozen[shard])
        {
            Preserve(shard);
        }
    }

    // The copy arrays are kept from one snapshot to the next: only a shard that outgrew its array gets fresh memory.
    private void Preserve(int shard)
    {
        var entries = _shards[shard];
        ref var copy = ref _copies[shard];
        if (copy.Length < entries.Count)
        {
            copy = GC.AllocateUninitializedArray<KeyValuePair<EventKey, TValue>>(entries.Count + (entries.Count / 4) + 16);
        }

        ((ICollection<KeyValuePair<EventKey, TValue>>)entries).CopyTo(copy, 0);
        _copyCounts[shard] = entries.Count;
        _frozen[shard] = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Dictionary<EventKey, TValue> ShardOf(EventKey key) => _shards[ShardIndexOf(key)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ShardIndexOf(EventKey key) => (int)((ulong)(key.Value >> 64) % ShardCount);
}
