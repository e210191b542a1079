namespace Loops.Feedback;

/// <summary>
/// The event ids joined recently (by hash), oldest first, kept so that a late reward counts as late and a retried
/// decision as a duplicate; bounded in number and expired by age. Used under the store's lock like the rest of the state.
/// A single set and queue of a million ids grew by copying all of them into fresh memory under that lock, and every
/// checkpoint copied the queue whole: here the set is sharded, so growing copies one shard, and the queue is a list
/// of chunks that are never written again once filled, so a snapshot shares them instead of copying them.
/// </summary>
internal sealed class JoinedIds
{
    private const int ShardBits = 8;
    private const int ShardMask = (1 << ShardBits) - 1;

    // 4,096 entries of 16 bytes: 64 KB, below the large object heap's threshold.
    private const int ChunkSize = 4096;

    private readonly HashSet<ulong>?[] _shards = new HashSet<ulong>?[1 << ShardBits];
    private readonly Queue<RecentlyJoined[]> _chunks = new();
    private RecentlyJoined[] _last = [];
    private int _head;
    private int _tail = ChunkSize;
    private int _count;

    /// <summary>How many ids are remembered.</summary>
    public int Count => _count;

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

        if (_tail == ChunkSize)
        {
            _last = new RecentlyJoined[ChunkSize];
            _chunks.Enqueue(_last);
            _tail = 0;
        }

        _last[_tail++] = new RecentlyJoined(eventIdHash, joinedAtUnixMs);
        _count++;
        while (_count > max)
        {
            ForgetOldest();
        }

        return true;
    }

    /// <summary>Forgets the ids joined at or before <paramref name="cutoffUnixMs"/>.</summary>
    public void ExpireUpTo(long cutoffUnixMs)
    {
        while (_count > 0 && _chunks.Peek()[_head].JoinedAtUnixMs <= cutoffUnixMs)
        {
            ForgetOldest();
        }
    }

    /// <summary>
    /// The remembered ids, oldest first, as they are now: valid (and readable outside the lock) after later changes,
    /// which never write to a chunk it reads.
    /// </summary>
    public IEnumerable<RecentlyJoined> Snapshot() => Read([.. _chunks], _head, _tail);

    private static IEnumerable<RecentlyJoined> Read(RecentlyJoined[][] chunks, int head, int tail)
    {
        for (var c = 0; c < chunks.Length; c++)
        {
            var end = c == chunks.Length - 1 ? tail : ChunkSize;
            for (var i = c == 0 ? head : 0; i < end; i++)
            {
                yield return chunks[c][i];
            }
        }
    }

    private void ForgetOldest()
    {
        var oldest = _chunks.Peek()[_head++];
        _shards[(int)oldest.EventIdHash & ShardMask]!.Remove(oldest.EventIdHash);
        _count--;
        if (_count == 0)
        {
            // Starting afresh: a snapshot may still read the chunk, which is dropped like every emptied one.
            _chunks.Clear();
            _last = [];
            _head = 0;
            _tail = ChunkSize;
        }
        else if (_head == ChunkSize)
        {
            // A snapshot may still read the chunk: emptied chunks are dropped, never reused.
            _chunks.Dequeue();
            _head = 0;
        }
    }
}
