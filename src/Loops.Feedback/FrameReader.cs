using Microsoft.Win32.SafeHandles;

namespace Loops.Feedback;

/// <summary>
/// Reads framed records sequentially from a file with explicit offsets, so a file that is still growing can be
/// followed: after <see cref="FrameReadStatus.End"/> a later call sees records appended since.
/// </summary>
internal sealed class FrameReader
{
    private readonly SafeFileHandle _file;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private long _bufferEndOffset;
    private int _lastFrameLength;

    public FrameReader(SafeFileHandle file, long offset)
    {
        _file = file;
        _bufferEndOffset = offset;
    }

    /// <summary>The file offset just after the last complete record read.</summary>
    public long Offset => _bufferEndOffset - (_end - _start);

    /// <summary>The body of the record last read; valid until the next read.</summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    public async ValueTask<FrameReadStatus> ReadNextAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(RecordFrame.HeaderSize, cancellationToken))
        {
            return _end == _start ? FrameReadStatus.End : FrameReadStatus.Incomplete;
        }

        var bodyLength = RecordFrame.ReadBodyLength(_buffer.AsSpan(_start, RecordFrame.HeaderSize));
        if (bodyLength <= 0 || bodyLength > RecordFrame.MaxBodySize)
        {
            return FrameReadStatus.Corrupt;
        }

        if (!await FillAsync(RecordFrame.HeaderSize + bodyLength, cancellationToken))
        {
            return FrameReadStatus.Incomplete;
        }

        var header = _buffer.AsSpan(_start, RecordFrame.HeaderSize);
        var body = _buffer.AsMemory(_start + RecordFrame.HeaderSize, bodyLength);
        if (!RecordFrame.IsIntact(header, body.Span))
        {
            return FrameReadStatus.Corrupt;
        }

        _start += RecordFrame.HeaderSize + bodyLength;
        _lastFrameLength = RecordFrame.HeaderSize + bodyLength;
        Body = body;
        return FrameReadStatus.Record;
    }

    /// <summary>Steps back over the record just read, so the next read returns it again.</summary>
    public void Unread()
    {
        _start -= _lastFrameLength;
        _lastFrameLength = 0;
    }

    private async ValueTask<bool> FillAsync(int needed, CancellationToken cancellationToken)
    {
        while (_end - _start < needed)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (needed > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
            }

            var read = await RandomAccess.ReadAsync(_file, _buffer.AsMemory(_end), _bufferEndOffset, cancellationToken);
            if (read == 0)
            {
                return false;
            }

            _end += read;
            _bufferEndOffset += read;
        }

        return true;
    }
}
