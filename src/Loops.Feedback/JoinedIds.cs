namespace Loops.Feedback;

/// <summary>
/// The event ids joined recently (by hash), oldest first, kept so that a late reward counts as late and a retried
/// decision as a duplicate; bounded in number and expired by age. Used under the store's lock like the rest of the state.
/// A single set and queue of a million ids grew by copying all of them into fresh memory under that lock, and every
/// checkpoint copied the queue whole: here the set is sharded, so growing copies one shard, and the order is a
/// <see cref="ChunkQueue{T}"/>, whose snapshot shares its chunks instead of copying them.
/// </summary>
internal sealed class JoinedIds
{
    private const int ShardBits = 8;
    private const int ShardMask = (1 << ShardBits) - 1;

    private readonly HashSet<ulong>?[] _shards = new HashSet<ulong>?[1 << ShardBits];

    // 4,096 entries of 16 bytes: 64 KB a chunk.
    private readonly ChunkQueue<RecentlyJoined> _order = new(4096);

    /// <summary>How many ids are remembered.</summary>
    public int Count => _order.Count;

    /// <summary>Whether the id (by hash) is remembered.</summary>
    public bool Contains(ulong eventIdHash) => _shards[(int)eventIdHash & ShardMask]?.Contains(eventIdHash) == true;

    /// <summary>
    /// Remembers an id joined at <paramref name="joinedAtUnixMs"/> (ids come in the order they were joined) and forgets
    /// the oldest beyond <paramref name="max"/>; false when it was remembered already.
    /// </summary>
    public bool Add(ulong eventIdHash, long joinedAtUnixMs, int max)
    {
        ref var shard = ref _shards[(int)eventIdHash & ShardMask];
        shard ??= [];
        if (!shard.Add(eventIdHash))
        {
            return false;
        }

        _order.Enqueue(new RecentlyJoined(eventIdHash, joinedAtUnixMs));
        while (_order.Count > max)
        {
            ForgetOldest();
        }

        return true;
    }

    /// <summary>Forgets the ids joined at or before <paramref name="cutoffUnixMs"/>.</summary>
    public void ExpireUpTo(long cutoffUnixMs)
    {
        while (_order.Count > 0 && _order.First.JoinedAtUnixMs <= cutoffUnixMs)
        {
            ForgetOldest();
        }
    }

    /// <summary>The remembered ids, oldest first, as they are now (see <see cref="ChunkQueue{T}.Snapshot"/>).</summary>
    public IEnumerable<RecentlyJoined> Snapshot() => _order.Snapshot();

    private void ForgetOldest()
    {
        var oldest = _order.Dequeue();
        _shards[(int)oldest.EventIdHash & ShardMask]!.Remove(oldest.EventIdHash);
    }
}
