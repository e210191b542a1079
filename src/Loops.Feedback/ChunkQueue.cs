namespace Loops.Feedback;

/// <summary>
/// A first-in first-out queue kept in chunks of a fixed length. It grows a chunk at a time instead of copying itself
/// into an array twice its size (under the store's lock, where the state lives), and a chunk, once filled, is never
/// written again: emptied chunks are dropped, not reused, so a <see cref="Snapshot"/> can share them.
/// </summary>
internal sealed class ChunkQueue<T>
    where T : struct
{
    private readonly Queue<T[]> _chunks = new();
    private readonly int _chunkLength;
    private T[] _last = [];
    private int _head;
    private int _tail;
    private int _count;

    /// <param name="chunkLength">Items per chunk; chunks of 85,000 bytes or more would go to the large object heap.</param>
    public ChunkQueue(int chunkLength)
    {
        _chunkLength = chunkLength;
        _tail = chunkLength;
    }

    /// <summary>How many items are queued.</summary>
    public int Count => _count;

    /// <summary>The oldest item; only when <see cref="Count"/> is positive.</summary>
    public ref readonly T First => ref _chunks.Peek()[_head];

    /// <summary>Adds an item after the newest.</summary>
    public void Enqueue(in T item)
    {
        if (_tail == _chunkLength)
        {
            _last = new T[_chunkLength];
            _chunks.Enqueue(_last);
            _tail = 0;
        }

        _last[_tail++] = item;
        _count++;
    }

    /// <summary>Removes the oldest item and returns it.</summary>
    /// <exception cref="InvalidOperationException">The queue is empty.</exception>
    public T Dequeue()
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("The queue is empty.");
        }

        var oldest = _chunks.Peek()[_head++];
        if (--_count == 0)
        {
            _chunks.Clear();
            _last = [];
            _head = 0;
            _tail = _chunkLength;
        }
        else if (_head == _chunkLength)
        {
            _chunks.Dequeue();
            _head = 0;
        }

        return oldest;
    }

    /// <summary>
    /// The items, oldest first, as they are now: still valid, and readable on another thread, after later changes,
    /// which never write to a chunk it reads.
    /// </summary>
    public IEnumerable<T> Snapshot() => Read([.. _chunks], _head, _tail, _chunkLength);

    private static IEnumerable<T> Read(T[][] chunks, int head, int tail, int chunkLength)
    {
        for (var c = 0; c < chunks.Length; c++)
        {
            var end = c == chunks.Length - 1 ? tail : chunkLength;
            for (var i = c == 0 ? head : 0; i < end; i++)
            {
                yield return chunks[c][i];
            }
        }
    }
}
