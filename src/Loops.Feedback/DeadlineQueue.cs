namespace Loops.Feedback;

/// <summary>
/// The pending decisions' keys, earliest deadline first: a binary min-heap kept in chunks of a fixed size. It grows a
/// chunk at a time, under the store's lock like every change of the state. A <see cref="PriorityQueue{TElement, TPriority}"/>
/// keeps one array and copies it whole into one twice its size: on this project's 2-core virtual machine that held
/// the lock for 72 ms at a million pending decisions and 142 ms at two million, stalling every Decide meanwhile.
/// </summary>
internal sealed class DeadlineQueue
{
    // 16,384 entries of 24 bytes (384 KB): growing adds one chunk, whose pages are first touched as entries arrive,
    // instead of copying the whole queue into fresh memory.
    private const int ChunkBits = 14;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;

    private readonly List<Entry[]> _chunks = [];
    private int _count;

    /// <summary>How many keys are queued.</summary>
    public int Count => _count;

    /// <summary>Queues a key with its deadline.</summary>
    public void Enqueue(EventKey key, long deadlineUnixMs)
    {
        if (_count == _chunks.Count * ChunkSize)
        {
            _chunks.Add(new Entry[ChunkSize]);
        }

        // Deadlines mostly arrive in order, so the new entry usually stays where it is put.
        var at = _count++;
        while (at > 0)
        {
            var parent = (at - 1) >> 1;
            ref var above = ref At(parent);
            if (above.DeadlineUnixMs <= deadlineUnixMs)
            {
                break;
            }

            At(at) = above;
            at = parent;
        }

        At(at) = new Entry(key, deadlineUnixMs);
    }

    /// <summary>The key with the earliest deadline, if any, without removing it.</summary>
    public bool TryPeek(out EventKey key, out long deadlineUnixMs)
    {
        if (_count == 0)
        {
            key = default;
            deadlineUnixMs = 0;
            return false;
        }

        ref var first = ref At(0);
        key = first.Key;
        deadlineUnixMs = first.DeadlineUnixMs;
        return true;
    }

    /// <summary>Removes the key with the earliest deadline.</summary>
    /// <exception cref="InvalidOperationException">The queue is empty.</exception>
    public void Dequeue()
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("The deadline queue is empty.");
        }

        var last = At(--_count);
        var at = 0;
        while (true)
        {
            var child = (2 * at) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && At(child + 1).DeadlineUnixMs < At(child).DeadlineUnixMs)
            {
                child++;
            }

            if (At(child).DeadlineUnixMs >= last.DeadlineUnixMs)
            {
                break;
            }

            At(at) = At(child);
            at = child;
        }

        if (_count > 0)
        {
            At(at) = last;
        }

        // One spare chunk is kept, so a queue that hovers at a chunk's boundary does not allocate again and again.
        if (_chunks.Count > 1 && _count <= (_chunks.Count - 2) * ChunkSize)
        {
            _chunks.RemoveAt(_chunks.Count - 1);
        }
    }

    private ref Entry At(int index) => ref _chunks[index >> ChunkBits][index & ChunkMask];

    private readonly record struct Entry(EventKey Key, long DeadlineUnixMs);
}
