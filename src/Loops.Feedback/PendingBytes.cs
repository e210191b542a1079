namespace Loops.Feedback;

/// <summary>
/// Holds the bytes of pending decisions (and the responses that answer their retries) in large slabs rather than one
/// array per decision. A window of a million decisions then costs the garbage collector a few hundred slabs on the
/// large object heap, which it neither copies nor promotes, instead of a million arrays that every young-generation
/// collection must copy twice before they settle. Records are appended to the current slab of their lane; a slab is
/// reused once every record in it was released. Lanes group records that are released at about the same time (the
/// store uses the reward window), so one long-lived record cannot hold slabs full of short-lived ones.
/// Not thread-safe: the store calls it under its lock. Released slabs are not reused while a snapshot reads them.
/// </summary>
internal sealed class PendingBytes
{
    /// <summary>The size of a slab: large enough for the large object heap, small enough to free memory in steps.</summary>
    public const int SlabBytes = 1024 * 1024;

    // Idle slabs kept for reuse; beyond this they are left to the garbage collector.
    private const int MaxIdleSlabs = 64;

    private readonly List<Slab?> _slabs = [];
    private readonly Stack<int> _freeIndexes = new();
    private readonly Stack<byte[]> _idle = new();
    private readonly List<int> _quarantined = [];
    private readonly Dictionary<long, int> _currentByLane = [];
    private int _snapshots;

    /// <summary>Slabs in use, for tests and diagnostics.</summary>
    public int SlabCount => _slabs.Count - _freeIndexes.Count;

    /// <summary>Copies two byte strings next to each other into the lane's current slab.</summary>
    public PendingSlice Append(long lane, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var length = first.Length + second.Length;
        int index;
        Slab slab;
        if (_currentByLane.TryGetValue(lane, out index) && _slabs[index] is { } current && current.Used + length <= current.Bytes.Length)
        {
            slab = current;
        }
        else
        {
            index = NewSlab(Math.Max(SlabBytes, length));
            slab = _slabs[index]!;
            if (length <= SlabBytes)
            {
                if (_currentByLane.TryGetValue(lane, out var previous))
                {
                    RetireIfEmpty(previous);
                }

                _currentByLane[lane] = index;
            }
            else
            {
                // An oversized record gets a slab of its own, which never takes further records.
                slab.Used = slab.Bytes.Length;
            }
        }

        var offset = length <= SlabBytes ? slab.Used : 0;
        first.CopyTo(slab.Bytes.AsSpan(offset));
        second.CopyTo(slab.Bytes.AsSpan(offset + first.Length));
        if (length <= SlabBytes)
        {
            slab.Used += length;
        }

        slab.Live++;
        return new PendingSlice(index, offset, first.Length, second.Length);
    }

    /// <summary>The first byte string of a slice (the decision).</summary>
    public ReadOnlySpan<byte> First(PendingSlice slice) => _slabs[slice.Slab]!.Bytes.AsSpan(slice.Offset, slice.FirstLength);

    /// <summary>The second byte string of a slice (the response), empty when none was stored.</summary>
    public ReadOnlySpan<byte> Second(PendingSlice slice) =>
        _slabs[slice.Slab]!.Bytes.AsSpan(slice.Offset + slice.FirstLength, slice.SecondLength);

    /// <summary>Gives a slice's space back; its slab is reused once all of its slices are released.</summary>
    public void Release(PendingSlice slice)
    {
        var slab = _slabs[slice.Slab]!;
        slab.Live--;
        if (slab.Live == 0 && !IsCurrent(slice.Slab))
        {
            Free(slice.Slab);
        }
    }

    /// <summary>Keeps released slabs from being reused until <see cref="EndSnapshot"/>: a snapshot reads them unlocked.</summary>
    public void BeginSnapshot() => _snapshots++;

    /// <summary>Ends a snapshot started by <see cref="BeginSnapshot"/>.</summary>
    public void EndSnapshot()
    {
        if (--_snapshots > 0)
        {
            return;
        }

        foreach (var index in _quarantined)
        {
            Recycle(index);
        }

        _quarantined.Clear();
    }

    private bool IsCurrent(int index) => _currentByLane.ContainsValue(index);

    private void RetireIfEmpty(int index)
    {
        if (_slabs[index] is { Live: 0 })
        {
            Free(index);
        }
    }

    private int NewSlab(int size)
    {
        var bytes = size == SlabBytes && _idle.TryPop(out var reused) ? reused : GC.AllocateUninitializedArray<byte>(size);
        var slab = new Slab(bytes);
        if (_freeIndexes.TryPop(out var index))
        {
            _slabs[index] = slab;
            return index;
        }

        _slabs.Add(slab);
        return _slabs.Count - 1;
    }

    private void Free(int index)
    {
        if (_snapshots > 0)
        {
            // The index stays taken too: a snapshot's slice must keep finding these bytes.
            _quarantined.Add(index);
            return;
        }

        Recycle(index);
    }

    private void Recycle(int index)
    {
        var bytes = _slabs[index]!.Bytes;
        _slabs[index] = null;
        _freeIndexes.Push(index);
        if (bytes.Length == SlabBytes && _idle.Count < MaxIdleSlabs)
        {
            _idle.Push(bytes);
        }
    }

    private sealed class Slab(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;

        public int Used { get; set; }

        public int Live { get; set; }
    }
}

/// <summary>Where a pending decision's bytes (and its response's) are in <see cref="PendingBytes"/>.</summary>
internal readonly record struct PendingSlice(int Slab, int Offset, int FirstLength, int SecondLength);
