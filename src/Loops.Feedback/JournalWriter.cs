using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Loops.Feedback;

/// <summary>
/// Appends journal records with group commit: callers frame records into the current buffer under the store's lock
/// and get the task of the current batch; one writer loop swaps buffers, writes each batch with one write call
/// (and fsync when asked) and completes it. One task per batch, none per record.
/// Every record's place in the journal is known when it is framed (<see cref="LocationOf"/>) and never changes, so
/// pending decisions are kept by location and read back when needed. When the segment grows beyond its limit, records
/// go to a new segment at once and a checkpoint of the live state (locations, not bytes) is written in the background
/// to a file of its own; a segment before the newest checkpoint is deleted once no pending decision is in it.
/// </summary>
internal sealed class JournalWriter : IDisposable
{
    // Checkpoints are written in chunks of this size, not built whole in memory.
    private const int CheckpointChunkBytes = 1024 * 1024;

    private readonly Lock _gate;
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly int _checkpointSpacing;
    private readonly bool _flushToDisk;
    private readonly bool _inlineBackgroundWork;
    private readonly FeedbackState _state;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _batchStarted = new(0);

    // Every kept segment, the current one included; guarded by the gate (readers look files up under it).
    private readonly Dictionary<int, SafeFileHandle> _files;
    private RecordBuffer _current = new();
    private RecordBuffer _spare = new();
    private TaskCompletionSource _batch = NewBatch();
    private Task<bool>? _batchReturningTrue;
    private Task<bool>? _batchReturningFalse;
    private bool _writerSignalled;
    private bool _stopping;
    private Exception? _fault;
    private JournalSegment _segment;
    private Task _loop = Task.CompletedTask;
    private Checkpoint? _checkpoint;

    // Readies larger arrays for the shards' copies before a rotation (see CopiesReady).
    private Task? _preparingCopies;
    private long _lastCheckpointLength;
    private int _releasedSegmentsSeen = -1;

    // Closes and deletes released segments and replaced checkpoints (see DeleteObsoleteFiles).
    private Task _deleting = Task.CompletedTask;
    private List<string> _replacedCheckpoints = [];

    // Under the gate: where the current buffer's first byte goes, and how far the journal is written.
    private int _bufferSegment;
    private long _bufferStart;
    private int _writtenSegment;
    private long _writtenLength;

    // Segments before this one are covered by the newest complete checkpoint.
    private int _checkpointNumber;

    /// <param name="gate">The store's lock: it guards the buffer, and the snapshot must agree with what is journaled.</param>
    /// <param name="directory">Where the segments are.</param>
    /// <param name="recovered">The recovered segments, the newest to append to.</param>
    /// <param name="segmentBytes">Bytes after which a segment is closed and a checkpoint written.</param>
    /// <param name="checkpointSpacing">How many times its checkpoint's size a segment grows before the next rotation.</param>
    /// <param name="flushToDisk">Whether to fsync every batch.</param>
    /// <param name="inlineBackgroundWork">Whether a rotation's background work runs on the writer (see <see cref="EmbeddedFeedbackStoreOptions.InlineBackgroundWork"/>).</param>
    /// <param name="state">The live state; snapshotted and asked which segments it needs, under <paramref name="gate"/>.</param>
    /// <param name="logger">For write failures and rotations.</param>
    public JournalWriter(
        Lock gate,
        string directory,
        RecoveredJournal recovered,
        long segmentBytes,
        int checkpointSpacing,
        bool flushToDisk,
        bool inlineBackgroundWork,
        FeedbackState state,
        ILogger logger)
    {
        _checkpointSpacing = checkpointSpacing;
        _gate = gate;
        _directory = directory;
        _segment = recovered.Segment;
        _files = recovered.Files;
        _checkpointNumber = recovered.CheckpointNumber;
        _lastCheckpointLength = recovered.CheckpointLength;
        _segmentBytes = segmentBytes;
        _flushToDisk = flushToDisk;
        _inlineBackgroundWork = inlineBackgroundWork;
        _state = state;
        _logger = logger;
        _bufferSegment = _segment.Number;
        _bufferStart = _segment.Length;
        _writtenSegment = _segment.Number;
        _writtenLength = _segment.Length;
    }

    /// <summary>The buffer to frame records into; only under the store's lock.</summary>
    public RecordBuffer Buffer => _current;

    /// <summary>Where the record framed at <paramref name="bufferOffset"/> of the buffer goes; only under the store's lock.</summary>
    public JournalLocation LocationOf(int bufferOffset, int length) => new(_bufferSegment, length, _bufferStart + bufferOffset);

    /// <summary>The open file of a kept segment, or null; only under the store's lock.</summary>
    public SafeFileHandle? FileOf(int segment) => _files.GetValueOrDefault(segment);

    /// <summary>
    /// Completes once the record at <paramref name="location"/> is written (or its batch failed): a record can be read
    /// back from its segment after that. Only under the store's lock.
    /// </summary>
    public Task WhenWritten(JournalLocation location)
    {
        if (_stopping || location.Segment < _writtenSegment || (location.Segment == _writtenSegment && location.End <= _writtenLength))
        {
            return Task.CompletedTask;
        }

        // Batches are written in order: the current one completes after the one being written.
        return Commit();
    }

    /// <summary>Returns the task of the batch holding the records just framed; only under the store's lock.</summary>
    public Task Commit()
    {
        if (!_writerSignalled)
        {
            _writerSignalled = true;
            _batchStarted.Release();
        }

        return _batch.Task;
    }

    /// <summary>
    /// Like <see cref="Commit()"/>, with a result for the caller; the result tasks are shared by the whole batch,
    /// so a caller that needs one allocates nothing of its own.
    /// </summary>
    public Task<bool> Commit(bool result)
    {
        var batch = Commit();
        return result
            ? _batchReturningTrue ??= Returning(batch, result: true)
            : _batchReturningFalse ??= Returning(batch, result: false);
    }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Writes what is buffered, then stops the writer loop and closes the segments.</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            _stopping = true;
            _batchStarted.Release();
        }

        return _loop;
    }

    /// <summary>Releases the wake-up signal; only after <see cref="StopAsync"/> completed.</summary>
    public void Dispose() => _batchStarted.Dispose();

    private static TaskCompletionSource NewBatch() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static Task<bool> Returning(Task batch, bool result) =>
        batch.ContinueWith(
            static (written, result) =>
            {
                written.GetAwaiter().GetResult();
                return (bool)result!;
            },
            result,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                await _batchStarted.WaitAsync();

                // Lets the callers woken by the previous batch append their next records first: bigger batches,
                // fewer writes and wake-ups under load, at the cost of one thread-pool hop.
                await Task.Yield();
                bool stopping;
                RecordBuffer records;
                TaskCompletionSource batch;
                lock (_gate)
                {
                    (records, batch) = SwapLocked();
                    stopping = _stopping;
                }

                WriteBatch(records, batch);
                if (stopping)
                {
                    await AbandonCheckpointAsync();
                    await (_preparingCopies ?? Task.CompletedTask);
                    await _deleting;
                    return;
                }

                if (_checkpoint is { } checkpoint)
                {
                    if (checkpoint.Written.IsCompleted)
                    {
                        await FinishCheckpointAsync(checkpoint);
                    }
                }
                else if (_fault is null && ShouldRotate() && CopiesReady())
                {
                    Rotate();
                }

                DeleteObsoleteFiles();
            }
        }
        finally
        {
            lock (_gate)
            {
                foreach (var file in _files.Values)
                {
                    file.Dispose();
                }

                _files.Clear();
            }
        }
    }

    private (RecordBuffer Records, TaskCompletionSource Batch) SwapLocked()
    {
        var records = _current;
        var batch = _batch;
        _current = _spare;
        _spare = records;
        _bufferStart += records.Length;
        _batch = NewBatch();
        _batchReturningTrue = null;
        _batchReturningFalse = null;
        _writerSignalled = false;
        return (records, batch);
    }

    // Synchronous on purpose: this loop is the only writer, and a page-cache write is faster than an async hop.
    private void WriteBatch(RecordBuffer records, TaskCompletionSource batch)
    {
        try
        {
            if (records.Length == 0)
            {
                batch.TrySetResult();
                return;
            }

            if (_fault is not null)
            {
                batch.TrySetException(new IOException("The feedback journal cannot be written.", _fault));
                return;
            }

            try
            {
                RandomAccess.Write(_segment.File, records.WrittenSpan, _segment.Length);
                if (_flushToDisk)
                {
                    RandomAccess.FlushToDisk(_segment.File);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                FeedbackLog.JournalWriteFailed(_logger, exception);
                PadFailedBatch(records.Length);
                batch.TrySetException(exception);
                return;
            }

            Advance(records.Length);
            batch.TrySetResult();
        }
        finally
        {
            records.Clear();
        }
    }

    // The records framed after the failed batch were placed behind it: padding over it keeps them where they were
    // placed, and the failed batch's decisions are found as padding, not read as someone else's bytes.
    private void PadFailedBatch(int length)
    {
        var padding = new RecordBuffer(length);
        JournalCodec.WritePadding(padding, length);
        try
        {
            RandomAccess.Write(_segment.File, padding.WrittenSpan, _segment.Length);
            Advance(length);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Nothing can follow a hole: the journal stays failed.
            _fault = exception;
        }
    }

    private void Advance(int length)
    {
        _segment = _segment with { Length = _segment.Length + length };
        lock (_gate)
        {
            _writtenSegment = _segment.Number;
            _writtenLength = _segment.Length;
        }
    }

    private bool ShouldRotate() =>
        // Rotating only after several times the last checkpoint's size was appended bounds checkpointing (a copy of the
        // pending state, then its writing) to a fraction of what is appended, however large the pending state grows:
        // with a long window at full load, twice made checkpoints an eighth of the service's CPU.
        _segment.Length >= Math.Max(_segmentBytes, _checkpointSpacing * _lastCheckpointLength);

    /// <summary>
    /// Whether the shards' copy arrays will hold the snapshot; when not, larger ones are readied (their memory touched)
    /// on a thread of its own and the rotation waits for them, a few batches later. On a virtual machine the first
    /// write to each fresh page costs microseconds: a shard copied into fresh memory held the store's lock for
    /// milliseconds.
    /// </summary>
    private bool CopiesReady()
    {
        if (_preparingCopies is { } preparing)
        {
            if (!preparing.IsCompleted)
            {
                return false;
            }

            _preparingCopies = null;
            return true;
        }

        List<(int Shard, int Length)> grow = [];
        lock (_gate)
        {
            _state.Pending.CopiesToGrow(grow);
        }

        if (grow.Count == 0)
        {
            return true;
        }

        var prepared = OnOwnThread(() => PrepareCopies(grow));
        if (prepared.IsCompleted)
        {
            return true;
        }

        _preparingCopies = prepared;
        WakeWhenDone(prepared);
        return false;
    }

    private bool PrepareCopies(List<(int Shard, int Length)> grow)
    {
        foreach (var (shard, length) in grow)
        {
            KeyValuePair<EventKey, PendingDecision>[] copy;
            try
            {
                copy = GC.AllocateUninitializedArray<KeyValuePair<EventKey, PendingDecision>>(length);
            }
            catch (OutOfMemoryException)
            {
                // The snapshot allocates what it needs as it copies, as it would have anyway.
                return false;
            }

            copy.AsSpan().Clear();
            lock (_gate)
            {
                _state.Pending.InstallCopy(shard, copy);
            }
        }

        return true;
    }

    // Runs the loop once more when background work ends, so what waits for it does not wait for the next record too.
    private void WakeWhenDone(Task work) =>
        work.ContinueWith(
            static (_, signal) => ((SemaphoreSlim)signal!).Release(),
            _batchStarted,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    // Blocking work of up to seconds (writing a checkpoint) gets a thread of its own: the thread pool, sized to the
    // cores, would lose one of its few threads to it for that long.
    private Task<T> OnOwnThread<T>(Func<T> work)
    {
        if (!_inlineBackgroundWork)
        {
            return Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        try
        {
            return Task.FromResult(work());
        }
        catch (Exception exception)
        {
            return Task.FromException<T>(exception);
        }
    }

    /// <summary>
    /// Starts the next segment and snapshots the state at the switch: the snapshot covers exactly the segments before
    /// the new one. Its checkpoint is written in the background while batches go to the new segment.
    /// </summary>
    private void Rotate()
    {
        var number = _segment.Number + 1;
        var segmentPath = SegmentFiles.PathOf(_directory, SegmentFiles.JournalPrefix, number);
        SafeFileHandle file;
        try
        {
            // Created before any record is placed in it; a leftover of that name was never written to.
            file = File.OpenHandle(segmentPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            FeedbackLog.JournalRotationFailed(_logger, segmentPath, exception);
            return;
        }

        RecordBuffer tail;
        TaskCompletionSource tailBatch;
        FeedbackSnapshot snapshot;
        lock (_gate)
        {
            // Everything applied to the state before the snapshot is framed by now and goes to the current segment
            // with this last batch; everything after goes to the new segment.
            (tail, tailBatch) = SwapLocked();
            snapshot = _state.TakeSnapshot(_gate);
            _files.Add(number, file);
            _bufferSegment = number;
            _bufferStart = 0;
        }

        WriteBatch(tail, tailBatch);
        _segment = new JournalSegment(file, number, 0);
        lock (_gate)
        {
            _writtenSegment = number;
            _writtenLength = 0;
        }

        var checkpointPath = SegmentFiles.PathOf(_directory, SegmentFiles.CheckpointPrefix, number);
        var written = OnOwnThread(() => WriteCheckpoint(checkpointPath + ".tmp", snapshot));
        _checkpoint = new Checkpoint(number, checkpointPath, written, snapshot.Pending.Count, snapshot.Orphans.Count);

        // Wakes the loop when the checkpoint is done, so publishing it does not wait for the next record.
        WakeWhenDone(written);
    }

    private long WriteCheckpoint(string temporaryPath, FeedbackSnapshot snapshot)
    {
        using var file = File.OpenHandle(temporaryPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            long length = 0;
            JournalCodec.WriteCheckpoint(new RecordBuffer(), snapshot, CheckpointChunkBytes, chunk =>
            {
                RandomAccess.Write(file, chunk.WrittenSpan, length);
                length += chunk.Length;
                chunk.Clear();
            });
            if (_flushToDisk)
            {
                RandomAccess.FlushToDisk(file);
            }

            return length;
        }
        catch
        {
            TryDelete(temporaryPath);
            throw;
        }
    }

    private async Task FinishCheckpointAsync(Checkpoint checkpoint)
    {
        _checkpoint = null;
        var temporaryPath = checkpoint.Path + ".tmp";
        long length;
        try
        {
            length = await checkpoint.Written.ConfigureAwait(false);

            // The rename publishes the complete checkpoint: recovery starts from the newest one.
            File.Move(temporaryPath, checkpoint.Path, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The segments it was to cover are kept and replayed; the next rotation writes another checkpoint.
            FeedbackLog.JournalRotationFailed(_logger, checkpoint.Path, exception);
            TryDelete(temporaryPath);
            return;
        }

        _lastCheckpointLength = length;
        lock (_gate)
        {
            _checkpointNumber = checkpoint.Number;
        }

        foreach (var (older, olderPath) in SegmentFiles.List(_directory, SegmentFiles.CheckpointPrefix))
        {
            if (older < checkpoint.Number)
            {
                _replacedCheckpoints.Add(olderPath);
            }
        }

        _releasedSegmentsSeen = -1;
        FeedbackLog.JournalRotated(_logger, checkpoint.Number, checkpoint.PendingCount, checkpoint.OrphanCount, length);
    }

    /// <summary>
    /// Deletes the segments before the newest checkpoint that no pending decision is in any more, and the checkpoints
    /// it replaced, on a thread of its own. On the writer, unlinking a 64 MB segment took 30–150 ms under load, and a
    /// replaced checkpoint of a million pending decisions 40 ms; every decision waiting for the next batch waited as
    /// long. One deletion runs at a time; files released meanwhile go with the next.
    /// </summary>
    private void DeleteObsoleteFiles()
    {
        var released = _state.ReleasedSegments;
        if ((released == _releasedSegmentsSeen && _replacedCheckpoints.Count == 0) || !_deleting.IsCompleted)
        {
            return;
        }

        _releasedSegmentsSeen = released;
        List<(int Number, SafeFileHandle File)>? deletable = null;
        lock (_gate)
        {
            foreach (var (number, file) in _files)
            {
                if (number < _checkpointNumber && !_state.IsReferenced(number))
                {
                    (deletable ??= []).Add((number, file));
                }
            }

            foreach (var (number, _) in deletable ?? [])
            {
                _files.Remove(number);
            }
        }

        var checkpoints = _replacedCheckpoints;
        if (deletable is not null || checkpoints.Count > 0)
        {
            _replacedCheckpoints = [];
            _deleting = OnOwnThread(() => Delete(deletable ?? [], checkpoints));

            // Segments released meanwhile go as soon as this ends.
            WakeWhenDone(_deleting);
        }
    }

    // True once done: a result for OnOwnThread, which runs functions.
    private bool Delete(List<(int Number, SafeFileHandle File)> segments, List<string> checkpoints)
    {
        foreach (var (number, file) in segments)
        {
            file.Dispose();
            var path = SegmentFiles.PathOf(_directory, SegmentFiles.JournalPrefix, number);
            if (TryDelete(path))
            {
                FeedbackLog.JournalSegmentDeleted(_logger, path);
            }
        }

        foreach (var path in checkpoints)
        {
            TryDelete(path);
        }

        return true;
    }

    // A checkpoint that is still being written when the writer stops is dropped; its segments are replayed instead.
    private async Task AbandonCheckpointAsync()
    {
        if (_checkpoint is not { } checkpoint)
        {
            return;
        }

        _checkpoint = null;
        try
        {
            await checkpoint.Written.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            FeedbackLog.JournalRotationFailed(_logger, checkpoint.Path, exception);
        }

        TryDelete(checkpoint.Path + ".tmp");
    }

    private bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            FeedbackLog.FileDeleteFailed(_logger, path, exception);
            return false;
        }
    }

    /// <summary>A checkpoint being written.</summary>
    /// <param name="Number">The segment it was taken at: it covers the ones before.</param>
    /// <param name="Path">Its path (it is written to this path plus <c>.tmp</c> first).</param>
    /// <param name="Written">Writes it; yields its length.</param>
    /// <param name="PendingCount">Pending decisions in it, for the log.</param>
    /// <param name="OrphanCount">Orphan event ids in it, for the log.</param>
    private sealed record Checkpoint(int Number, string Path, Task<long> Written, int PendingCount, int OrphanCount);
}
