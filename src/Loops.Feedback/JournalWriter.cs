using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Loops.Feedback;

/// <summary>
/// Appends journal records with group commit: callers frame records into the current buffer under the store's lock
/// and get the task of the current batch; one writer loop swaps buffers, writes each batch with one write call
/// (and fsync when asked) and completes it. One task per batch, none per record.
/// When the segment grows beyond its limit, a new one is started with a checkpoint of the live state and the older
/// ones are deleted, so the journal stays bounded. The checkpoint is written in the background: batches are never
/// held up by it, only by the short copy of the records appended while it was written.
/// </summary>
internal sealed class JournalWriter : IDisposable
{
    // Checkpoints are written in chunks of this size through the idle spare buffer, not built whole in memory.
    private const int CheckpointChunkBytes = 1024 * 1024;

    private readonly Lock _gate;
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly bool _flushToDisk;
    private readonly Func<FeedbackSnapshot> _takeSnapshot;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _batchStarted = new(0);
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
    private Rotation? _rotation;

    /// <param name="gate">The store's lock: it guards the buffer, and the snapshot must agree with what is journaled.</param>
    /// <param name="directory">Where the segments are.</param>
    /// <param name="segment">The recovered segment to append to.</param>
    /// <param name="segmentBytes">Bytes after a segment's checkpoint that trigger a rotation.</param>
    /// <param name="flushToDisk">Whether to fsync every batch.</param>
    /// <param name="takeSnapshot">Copies the live state; called under <paramref name="gate"/>.</param>
    /// <param name="logger">For write failures and rotations.</param>
    public JournalWriter(
        Lock gate,
        string directory,
        JournalSegment segment,
        long segmentBytes,
        bool flushToDisk,
        Func<FeedbackSnapshot> takeSnapshot,
        ILogger logger)
    {
        _gate = gate;
        _directory = directory;
        _segment = segment;
        _segmentBytes = segmentBytes;
        _flushToDisk = flushToDisk;
        _takeSnapshot = takeSnapshot;
        _logger = logger;
    }

    /// <summary>The buffer to frame records into; only under the store's lock.</summary>
    public RecordBuffer Buffer => _current;

    public long SegmentNumber => _segment.Number;

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

    /// <summary>Writes what is buffered, then stops the writer loop and closes the segment.</summary>
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
                    await AbandonRotationAsync();
                    return;
                }

                if (_rotation is { } rotation)
                {
                    if (rotation.Checkpoint.IsCompleted && _fault is null)
                    {
                        await FinishRotationAsync(rotation);
                    }
                }
                else if (_fault is null && ShouldRotate())
                {
                    StartRotation();
                }
            }
        }
        finally
        {
            _segment.File.Dispose();
        }
    }

    private (RecordBuffer Records, TaskCompletionSource Batch) SwapLocked()
    {
        var records = _current;
        var batch = _batch;
        _current = _spare;
        _spare = records;
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

            RandomAccess.Write(_segment.File, records.WrittenSpan, _segment.Length);
            if (_flushToDisk)
            {
                RandomAccess.FlushToDisk(_segment.File);
            }

            _segment = _segment with { Length = _segment.Length + records.Length };
            batch.TrySetResult();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            FeedbackLog.JournalWriteFailed(_logger, exception);
            try
            {
                // Cut the partial batch off so that later batches follow a complete record.
                RandomAccess.SetLength(_segment.File, _segment.Length);
            }
            catch (IOException truncateFailure)
            {
                _fault = truncateFailure;
            }

            batch.TrySetException(exception);
        }
        finally
        {
            records.Clear();
        }
    }

    private bool ShouldRotate()
    {
        // Rotating only after at least twice the checkpoint's size was appended bounds the copying to half of what
        // is appended, however large the pending state grows.
        var appended = _segment.Length - _segment.CheckpointLength;
        return appended >= Math.Max(_segmentBytes, 2 * _segment.CheckpointLength);
    }

    /// <summary>
    /// Snapshots the state and writes its checkpoint into the next segment's temporary file in the background, while
    /// batches keep going to the current segment; <see cref="FinishRotationAsync"/> then copies those batches over.
    /// </summary>
    private void StartRotation()
    {
        RecordBuffer tail;
        TaskCompletionSource tailBatch;
        FeedbackSnapshot snapshot;
        lock (_gate)
        {
            // Everything applied to the state before the snapshot is in the current segment before this batch's
            // end; everything after it is appended later and copied behind the checkpoint.
            (tail, tailBatch) = SwapLocked();
            snapshot = _takeSnapshot();
        }

        WriteBatch(tail, tailBatch);
        if (_fault is not null)
        {
            EndSnapshot(snapshot);
            return;
        }

        var number = _segment.Number + 1;
        var path = SegmentFiles.PathOf(_directory, SegmentFiles.JournalPrefix, number);
        var checkpoint = Task.Run(() =>
        {
            try
            {
                return WriteCheckpoint(path + ".tmp", snapshot);
            }
            finally
            {
                EndSnapshot(snapshot);
            }
        });
        _rotation = new Rotation(number, path, _segment.Length, checkpoint, snapshot.Pending.Length, snapshot.Orphans.Length);

        // Wakes the loop when the checkpoint is done, so the switch does not wait for the next record.
        checkpoint.ContinueWith(
            static (_, signal) => ((SemaphoreSlim)signal!).Release(),
            _batchStarted,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private (SafeFileHandle File, long Length) WriteCheckpoint(string temporaryPath, FeedbackSnapshot snapshot)
    {
        var file = File.OpenHandle(temporaryPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            long length = 0;
            JournalCodec.WriteCheckpoint(new RecordBuffer(), snapshot, CheckpointChunkBytes, chunk =>
            {
                RandomAccess.Write(file, chunk.WrittenSpan, length);
                length += chunk.Length;
                chunk.Clear();
            });
            return (file, length);
        }
        catch
        {
            file.Dispose();
            TryDelete(temporaryPath);
            throw;
        }
    }

    private void EndSnapshot(FeedbackSnapshot snapshot)
    {
        lock (_gate)
        {
            snapshot.Bytes.EndSnapshot();
        }
    }

    private async Task FinishRotationAsync(Rotation rotation)
    {
        _rotation = null;
        var temporaryPath = rotation.Path + ".tmp";
        SafeFileHandle? file = null;
        long checkpointLength;
        long tailLength;
        try
        {
            (file, checkpointLength) = await rotation.Checkpoint.ConfigureAwait(false);
            tailLength = CopyTail(rotation.TailStart, file, checkpointLength);
            if (_flushToDisk)
            {
                RandomAccess.FlushToDisk(file);
            }

            // The rename publishes the complete segment: recovery trusts the newest segment alone.
            File.Move(temporaryPath, rotation.Path, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Keep appending to the current segment; the rotation is retried after the next batch.
            FeedbackLog.JournalRotationFailed(_logger, rotation.Path, exception);
            file?.Dispose();
            TryDelete(temporaryPath);
            return;
        }

        var previous = _segment;
        _segment = new JournalSegment(file, rotation.Number, checkpointLength + tailLength, checkpointLength);
        previous.File.Dispose();
        foreach (var (older, olderPath) in SegmentFiles.List(_directory, SegmentFiles.JournalPrefix))
        {
            if (older < rotation.Number && TryDelete(olderPath))
            {
                FeedbackLog.JournalSegmentDeleted(_logger, olderPath);
            }
        }

        FeedbackLog.JournalRotated(_logger, rotation.Number, rotation.PendingCount, rotation.OrphanCount, checkpointLength);
    }

    // Copies the batches appended to the current segment since the snapshot; returns how many bytes.
    private long CopyTail(long tailStart, SafeFileHandle destination, long destinationOffset)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CheckpointChunkBytes);
        try
        {
            long copied = 0;
            while (tailStart + copied < _segment.Length)
            {
                var wanted = (int)Math.Min(buffer.Length, _segment.Length - tailStart - copied);
                var read = RandomAccess.Read(_segment.File, buffer.AsSpan(0, wanted), tailStart + copied);
                if (read == 0)
                {
                    throw new IOException($"The journal segment ended at {tailStart + copied} bytes; {_segment.Length} were written.");
                }

                RandomAccess.Write(destination, buffer.AsSpan(0, read), destinationOffset + copied);
                copied += read;
            }

            return copied;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // A rotation that is still running when the writer stops is dropped; the next start rotates again.
    private async Task AbandonRotationAsync()
    {
        if (_rotation is not { } rotation)
        {
            return;
        }

        _rotation = null;
        try
        {
            var (file, _) = await rotation.Checkpoint.ConfigureAwait(false);
            file.Dispose();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            FeedbackLog.JournalRotationFailed(_logger, rotation.Path, exception);
        }

        TryDelete(rotation.Path + ".tmp");
    }

    private bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException exception)
        {
            FeedbackLog.FileDeleteFailed(_logger, path, exception);
            return false;
        }
    }

    /// <summary>A rotation whose checkpoint is being written.</summary>
    /// <param name="Number">The new segment's number.</param>
    /// <param name="Path">The new segment's path (the checkpoint goes to this path plus <c>.tmp</c> first).</param>
    /// <param name="TailStart">Where, in the current segment, the records after the snapshot begin.</param>
    /// <param name="Checkpoint">Writes the checkpoint; yields the open temporary file and its length.</param>
    /// <param name="PendingCount">Pending decisions in the checkpoint, for the log.</param>
    /// <param name="OrphanCount">Orphan event ids in the checkpoint, for the log.</param>
    private sealed record Rotation(
        long Number, string Path, long TailStart, Task<(SafeFileHandle File, long Length)> Checkpoint, int PendingCount, int OrphanCount);
}
