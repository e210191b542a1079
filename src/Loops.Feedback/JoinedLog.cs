using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Loops.Feedback;

/// <summary>
/// The joined log: joined events with their sequence numbers in segments named after their first sequence,
/// written by the joiner alone and read by any number of followers. Old segments beyond the retention are deleted.
/// </summary>
internal sealed class JoinedLog : IDisposable
{
    private const int SequenceSize = 8;

    // JoinedEvent.decision: field 1, length-delimited.
    private const byte DecisionFieldTag = (1 << 3) | 2;

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly long _retentionBytes;
    private readonly bool _flushToDisk;
    private readonly ILogger _logger;
    private readonly Lock _segmentsGate = new();
    private readonly List<(long FirstSequence, string Path, long Length)> _segments = [];
    private readonly RecordBuffer _buffer = new();
    private readonly SharedParses _parsed = new();
    private TaskCompletionSource _appended = NewSignal();
    private SafeFileHandle? _active;
    private long _activeLength;
    private long _lastSequence;
    private long _writtenSequence;
    private volatile bool _completed;

    public JoinedLog(string directory, long segmentBytes, long retentionBytes, bool flushToDisk, ILogger logger)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _retentionBytes = retentionBytes;
        _flushToDisk = flushToDisk;
        _logger = logger;
    }

    /// <summary>The sequence of the last event published (readers may read up to it).</summary>
    public long LastSequence => Volatile.Read(ref _lastSequence);

    /// <summary>The sequence of the last event written; only for the single writer.</summary>
    public long WrittenSequence => _writtenSequence;

    /// <summary>Finds the last sequence, truncating a torn tail of the newest segment, and opens it for appending.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var (firstSequence, path) in SegmentFiles.List(_directory, SegmentFiles.JoinedPrefix))
        {
            _segments.Add((firstSequence, path, new FileInfo(path).Length));
        }

        if (_segments.Count == 0)
        {
            StartSegment(1);
            return;
        }

        var (first, activePath, _) = _segments[^1];
        _active = JournalRecovery.OpenForAppend(activePath);
        var reader = new FrameReader(_active, 0);
        var last = first - 1;
        FrameReadStatus status;
        while ((status = await reader.ReadNextAsync(cancellationToken)) == FrameReadStatus.Record)
        {
            last = BinaryPrimitives.ReadInt64LittleEndian(reader.Body.Span);
        }

        if (status != FrameReadStatus.End)
        {
            var length = RandomAccess.GetLength(_active);
            FeedbackLog.TornTailTruncated(_logger, activePath, reader.Offset, length - reader.Offset, status);
            RandomAccess.SetLength(_active, reader.Offset);
        }

        _activeLength = reader.Offset;
        _segments[^1] = (first, activePath, _activeLength);
        _lastSequence = last;
        _writtenSequence = last;
    }

    /// <summary>Continues numbering after <paramref name="sequence"/> if the log ends before it (lost unflushed tail).</summary>
    public void SkipTo(long sequence)
    {
        if (sequence > _lastSequence)
        {
            _lastSequence = sequence;
            _writtenSequence = sequence;
        }
    }

    /// <summary>
    /// Writes joined events (sequences after <see cref="WrittenSequence"/>); readers see them after <see cref="Publish"/>.
    /// </summary>
    public void Append(List<JoinedEntry> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        _buffer.Clear();
        foreach (var record in records)
        {
            // A JoinedEvent is its fields in any order: the outcome's fields, then the decision's bytes as field 1,
            // spliced in as they were logged rather than decoded and encoded again.
            var outcomeSize = record.Outcome.CalculateSize();
            var decisionSize = record.Decision.Length;
            var body = _buffer.BeginFrame(SequenceSize + outcomeSize + 1 + CodedOutputStream.ComputeLengthSize(decisionSize) + decisionSize);
            BinaryPrimitives.WriteInt64LittleEndian(body, record.Sequence);
            record.Outcome.WriteTo(body.Slice(SequenceSize, outcomeSize));
            var rest = body[(SequenceSize + outcomeSize)..];
            rest[0] = DecisionFieldTag;
            var lengthSize = WriteVarint(rest[1..], (uint)decisionSize);
            record.Decision.Span.CopyTo(rest[(1 + lengthSize)..]);
            _buffer.EndFrame();
        }

        try
        {
            RandomAccess.Write(_active!, _buffer.WrittenSpan, _activeLength);
            if (_flushToDisk)
            {
                RandomAccess.FlushToDisk(_active!);
            }
        }
        catch (IOException)
        {
            // Cut a partial write off so the sequences can be written again; if that fails too the tail is torn and
            // recovery truncates it.
            RandomAccess.SetLength(_active!, _activeLength);
            throw;
        }

        _activeLength += _buffer.Length;
        lock (_segmentsGate)
        {
            var (first, path, _) = _segments[^1];
            _segments[^1] = (first, path, _activeLength);
        }

        _writtenSequence = records[^1].Sequence;
        if (_activeLength >= _segmentBytes)
        {
            try
            {
                StartSegment(_writtenSequence + 1);
                EnforceRetention();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The events are written; keep appending to the current segment and try again next time.
                FeedbackLog.JoinedRotationFailed(_logger, exception);
            }
        }
    }

    /// <summary>Makes the events written so far visible to the readers and wakes them.</summary>
    public void Publish()
    {
        Volatile.Write(ref _lastSequence, _writtenSequence);
        Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();
    }

    /// <summary>Ends the followers (they finish what is stored first).</summary>
    public void Complete()
    {
        _completed = true;
        Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();
    }

    public void Dispose() => _active?.Dispose();

    /// <summary>
    /// Reads the events after <paramref name="afterSequence"/>; when <paramref name="follow"/> is set, then waits for new
    /// ones until cancelled or completed. Events deleted by retention are skipped.
    /// </summary>
    public async IAsyncEnumerable<JoinedRecord> ReadAsync(
        long afterSequence, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = Math.Max(afterSequence, 0) + 1;
        SafeFileHandle? file = null;
        FrameReader? reader = null;
        long segmentFirst = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Taken before checking for data, so an append in between cannot be missed.
                var appended = Volatile.Read(ref _appended).Task;
                if (next > LastSequence || reader is null && !TryFindSegment(next, out segmentFirst, out _))
                {
                    if (!follow || _completed || !await WaitAsync(appended, cancellationToken))
                    {
                        yield break;
                    }

                    continue;
                }

                if (reader is null)
                {
                    TryFindSegment(next, out segmentFirst, out var path);
                    if (segmentFirst > next)
                    {
                        FeedbackLog.JoinedEventsSkipped(_logger, next, segmentFirst - 1);
                    }

                    file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    reader = new FrameReader(file, 0);
                }

                var status = await reader.ReadNextAsync(CancellationToken.None);
                if (status == FrameReadStatus.Record)
                {
                    var sequence = BinaryPrimitives.ReadInt64LittleEndian(reader.Body.Span);
                    if (sequence > LastSequence)
                    {
                        // Written but not published yet: the store has not counted it; read it again once it has.
                        reader.Unread();
                        if (!follow || _completed || !await WaitAsync(appended, cancellationToken))
                        {
                            yield break;
                        }

                        continue;
                    }

                    if (sequence >= next)
                    {
                        next = sequence + 1;
                        yield return new JoinedRecord(sequence, _parsed.Parse(sequence, reader.Body.Span[SequenceSize..]));
                    }

                    continue;
                }

                if (TryFindNextSegment(segmentFirst, out var nextFirst))
                {
                    // This segment is finished; the events from here on are in later ones.
                    file!.Dispose();
                    file = null;
                    reader = null;
                    next = Math.Max(next, nextFirst);
                }
                else if (!follow || _completed || !await WaitAsync(appended, cancellationToken))
                {
                    yield break;
                }
            }
        }
        finally
        {
            file?.Dispose();
        }
    }

    private static int WriteVarint(Span<byte> destination, uint value)
    {
        var written = 0;
        while (value >= 0x80)
        {
            destination[written++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[written++] = (byte)value;
        return written;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static async Task<bool> WaitAsync(Task appended, CancellationToken cancellationToken)
    {
        try
        {
            await appended.WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private bool TryFindSegment(long sequence, out long firstSequence, out string path)
    {
        lock (_segmentsGate)
        {
            for (var index = _segments.Count - 1; index >= 0; index--)
            {
                if (_segments[index].FirstSequence <= sequence || index == 0)
                {
                    (firstSequence, path, _) = _segments[index];
                    return true;
                }
            }
        }

        (firstSequence, path) = (0, string.Empty);
        return false;
    }

    private bool TryFindNextSegment(long afterFirstSequence, out long firstSequence)
    {
        lock (_segmentsGate)
        {
            foreach (var segment in _segments)
            {
                if (segment.FirstSequence > afterFirstSequence)
                {
                    firstSequence = segment.FirstSequence;
                    return true;
                }
            }
        }

        firstSequence = 0;
        return false;
    }

    private void StartSegment(long firstSequence)
    {
        var path = SegmentFiles.PathOf(_directory, SegmentFiles.JoinedPrefix, firstSequence);
        var file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        _active?.Dispose();
        _active = file;
        _activeLength = 0;
        lock (_segmentsGate)
        {
            _segments.Add((firstSequence, path, 0));
        }
    }

    private void EnforceRetention()
    {
        lock (_segmentsGate)
        {
            var total = _segments.Sum(segment => segment.Length);
            while (total > _retentionBytes && _segments.Count > 1)
            {
                var (_, path, length) = _segments[0];
                try
                {
                    File.Delete(path);
                }
                catch (IOException exception)
                {
                    FeedbackLog.FileDeleteFailed(_logger, path, exception);
                    return;
                }

                _segments.RemoveAt(0);
                total -= length;
                FeedbackLog.JoinedSegmentDeleted(_logger, path);
            }
        }
    }
}
