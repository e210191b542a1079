namespace Loops.Feedback;

/// <summary>
/// The pending decisions of a snapshot (see <see cref="PendingMap.Freeze"/>), read a shard at a time: each shard is
/// taken under the store's lock and read outside it, so writing a checkpoint never holds the lock for long.
/// Valid until the map's next snapshot.
/// </summary>
/// <param name="map">The frozen map.</param>
/// <param name="count">How many decisions were pending at the snapshot.</param>
/// <param name="gate">The store's lock, which guards the map.</param>
internal sealed class PendingSnapshot(PendingMap map, int count, Lock gate)
{
    /// <summary>How many decisions were pending at the snapshot.</summary>
    public int Count => count;

    /// <summary>Every decision pending at the snapshot, with its key.</summary>
    public IEnumerable<KeyValuePair<EventKey, PendingDecision>> Entries()
    {
        for (var shard = 0; shard < PendingMap.ShardCount; shard++)
        {
            ArraySegment<KeyValuePair<EventKey, PendingDecision>> entries;
            lock (gate)
            {
                entries = map.FrozenShard(shard);
            }

            foreach (var entry in entries)
            {
                yield return entry;
            }
        }
    }
}
