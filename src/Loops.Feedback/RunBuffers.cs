namespace Loops.Feedback;

/// <summary>
/// The memory one join round reads journal records into, reused by the next round: in the steady state every
/// decision is read back once, and fresh arrays for it would be a large part of all the service allocates, each
/// cleared before use and kept alive across a collection while its round runs. Runs are packed one after the other
/// into chunks. Not thread-safe: one per joiner.
/// </summary>
internal sealed class RunBuffers
{
    /// <summary>The size of each reused chunk: a run of records read with one call is at most this long.</summary>
    public const int ChunkBytes = 64 * 1024;

    // 8 MB: a round of 4,096 decisions of up to 2 KB; a round of larger ones allocates the rest anew each time.
    private const int MaxChunks = 128;

    private readonly List<byte[]> _chunks = [];
    private int _chunk;
    private int _used;

    /// <summary>Memory for <paramref name="length"/> bytes, valid until <see cref="Reset"/>.</summary>
    public Memory<byte> Take(int length)
    {
        if (length > ChunkBytes)
        {
            return GC.AllocateUninitializedArray<byte>(length);
        }

        if (_chunk < _chunks.Count && _used + length > ChunkBytes)
        {
            _chunk++;
            _used = 0;
        }

        if (_chunk == _chunks.Count)
        {
            if (_chunks.Count == MaxChunks)
            {
                return GC.AllocateUninitializedArray<byte>(length);
            }

            _chunks.Add(GC.AllocateUninitializedArray<byte>(ChunkBytes));
        }

        var memory = _chunks[_chunk].AsMemory(_used, length);
        _used += length;
        return memory;
    }

    /// <summary>Makes all the memory available again: what was read into it must no longer be used.</summary>
    public void Reset()
    {
        _chunk = 0;
        _used = 0;
    }
}
