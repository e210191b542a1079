namespace Loops.Feedback;

/// <summary>
/// The entries of an <see cref="EventKeyMap{TValue}"/> at a snapshot (see <see cref="EventKeyMap{TValue}.Freeze"/>),
/// read a shard at a time: each shard is taken under the store's lock and read outside it, so writing a checkpoint
/// never holds the lock for long. Valid until the map's next snapshot.
/// </summary>
/// <param name="map">The frozen map.</param>
/// <param name="count">How many entries the map held at the snapshot.</param>
/// <param name="gate">The store's lock, which guards the map.</param>
internal sealed class EventKeyMapSnapshot<TValue>(EventKeyMap<TValue> map, int count, Lock gate)
    where TValue : struct
{
    /// <summary>How many entries the map held at the snapshot.</summary>
    public int Count => count;

    /// <summary>Every entry the map held at the snapshot, with its key.</summary>
    public IEnumerable<KeyValuePair<EventKey, TValue>> Entries()
    {
        for (var shard = 0; shard < EventKeyMap<TValue>.ShardCount; shard++)
        {
            ArraySegment<KeyValuePair<EventKey, TValue>> entries;
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
