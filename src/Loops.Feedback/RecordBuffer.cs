namespace Loops.Feedback;

/// <summary>A growable, reusable byte buffer that records are framed into before one write call.</summary>
internal sealed class RecordBuffer
{
    private byte[] _bytes;
    private int _length;
    private int _frameStart = -1;

    public RecordBuffer(int initialCapacity = 64 * 1024) => _bytes = new byte[initialCapacity];

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _bytes.AsSpan(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Drops whole frames written since the buffer was <paramref name="length"/> long.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    /// <summary>Appends whole frames sealed in another buffer.</summary>
    public void Append(ReadOnlySpan<byte> frames)
    {
        if (_length + frames.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_length + frames.Length, _bytes.Length * 2));
        }

        frames.CopyTo(_bytes.AsSpan(_length));
        _length += frames.Length;
    }

    /// <summary>Reserves a frame and returns its body to fill; <see cref="EndFrame"/> then seals it.</summary>
    public Span<byte> BeginFrame(int bodyLength)
    {
        if (bodyLength <= 0 || bodyLength > RecordFrame.MaxBodySize)
        {
            throw new ArgumentOutOfRangeException(nameof(bodyLength), bodyLength, "The record is empty or too large to store.");
        }

        var needed = _length + RecordFrame.HeaderSize + bodyLength;
        if (needed > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(needed, _bytes.Length * 2));
        }

        _frameStart = _length;
        _length = needed;
        return _bytes.AsSpan(_frameStart + RecordFrame.HeaderSize, bodyLength);
    }

    public void EndFrame()
    {
        var frame = _bytes.AsSpan(_frameStart, _length - _frameStart);
        RecordFrame.WriteHeader(frame, frame[RecordFrame.HeaderSize..]);
        _frameStart = -1;
    }
}
