using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Loops.Feedback;

/// <summary>
/// Appends journal records with group commit: callers frame records into the current buffer under the store's lock
/// and get the task of the current batch; one writer loop swaps buffers, writes each batch with one write call
/// (and fsync when asked) and completes it. One task per batch, none per record.
/// When the segment grows beyond its limit, a new one is started with a checkpoint of the live state and the older
/// ones are deleted, so the journal stays bounded.
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
                    return;
                }

                if (_fault is null && _segment.Length - _segment.CheckpointLength >= _segmentBytes)
                {
                    Rotate();
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

    private void Rotate()
    {
        RecordBuffer tail;
        TaskCompletionSource tailBatch;
        FeedbackSnapshot snapshot;
        lock (_gate)
        {
            // Everything applied to the state before the snapshot goes into the old segment, everything after it
            // into the new one, behind the checkpoint.
            (tail, tailBatch) = SwapLocked();
            snapshot = _takeSnapshot();
        }

        WriteBatch(tail, tailBatch);
        if (_fault is not null)
        {
            return;
        }

        var number = _segment.Number + 1;
        var path = SegmentFiles.PathOf(_directory, SegmentFiles.JournalPrefix, number);
        var temporaryPath = path + ".tmp";
        long checkpointLength = 0;
        SafeFileHandle? file = null;
        try
        {
            using (var temporary = File.OpenHandle(temporaryPath, FileMode.Create, FileAccess.Write))
            {
                JournalCodec.WriteCheckpoint(_spare, snapshot, CheckpointChunkBytes, chunk =>
                {
                    RandomAccess.Write(temporary, chunk.WrittenSpan, checkpointLength);
                    checkpointLength += chunk.Length;
                    chunk.Clear();
                });
                if (_flushToDisk)
                {
                    RandomAccess.FlushToDisk(temporary);
                }
            }

            File.Move(temporaryPath, path, overwrite: true);
            file = JournalRecovery.OpenForAppend(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Keep appending to the old segment; the rotation is retried after the next batch.
            FeedbackLog.JournalRotationFailed(_logger, path, exception);
            _spare.Clear();
            file?.Dispose();
            TryDelete(temporaryPath);
            return;
        }

        var previous = _segment;
        _segment = new JournalSegment(file, number, checkpointLength, checkpointLength);
        previous.File.Dispose();
        foreach (var (older, olderPath) in SegmentFiles.List(_directory, SegmentFiles.JournalPrefix))
        {
            if (older < number && TryDelete(olderPath))
            {
                FeedbackLog.JournalSegmentDeleted(_logger, olderPath);
            }
        }

        FeedbackLog.JournalRotated(_logger, number, snapshot.Pending.Length, snapshot.Orphans.Length, checkpointLength);
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
}
