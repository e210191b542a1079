namespace Loops.Feedback.Redis;

/// <summary>
/// A local append-only file of the records that could not be written to Redis, replayed in order once Redis is back.
/// An append is written to the operating system before it completes (it survives a kill -9 of the process); the file
/// is bounded, and emptied once everything in it reached Redis.
/// </summary>
internal sealed class Spool : IAsyncDisposable
{
    private const int MaxRecordBytes = 64 * 1024 * 1024;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly FileStream _writer;
    private readonly long _maxBytes;

    private Spool(FileStream writer, long maxBytes)
    {
        _writer = writer;
        _maxBytes = maxBytes;
    }

    public string Path => _writer.Name;

    /// <summary>The bytes written and not yet emptied.</summary>
    public long Length => Volatile.Read(ref _length);

    private long _length;

    /// <summary>Opens (or creates) the spool, cutting off a record torn by a crash.</summary>
    public static async Task<Spool> OpenAsync(string directory, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, "redis-spool.bin");
        var writer = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16, useAsync: true);
        var spool = new Spool(writer, maxBytes);
        long valid = 0;
        await foreach (var (_, end) in spool.ReadAsync(0, cancellationToken))
        {
            valid = end;
        }

        writer.SetLength(valid);
        writer.Position = valid;
        spool._length = valid;
        return spool;
    }

    /// <summary>Appends records in order; throws <see cref="FeedbackUnavailableException"/> when they do not fit.</summary>
    public async Task AppendAsync(IReadOnlyList<SpoolRecord> records, CancellationToken cancellationToken)
    {
        var frames = new byte[records.Count][];
        long bytes = 0;
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = SpoolCodec.Encode(records[i]);
            bytes += frames[i].Length;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_length + bytes > _maxBytes)
            {
                throw new FeedbackUnavailableException(
                    $"Redis is unreachable and the local spool is full ({_maxBytes} bytes); retry after 1 s.", TimeSpan.FromSeconds(1));
            }

            foreach (var frame in frames)
            {
                await _writer.WriteAsync(frame, CancellationToken.None);
            }

            await _writer.FlushAsync(CancellationToken.None);
            Volatile.Write(ref _length, _writer.Position);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads the whole records from <paramref name="offset"/> on, each with the offset just after it.</summary>
    public async IAsyncEnumerable<(SpoolRecord Record, long End)> ReadAsync(
        long offset, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
        await using (reader)
        {
            reader.Position = offset;
            var header = new byte[SpoolCodec.HeaderSize];
            while (true)
            {
                if (await ReadFullyAsync(reader, header, cancellationToken) < header.Length)
                {
                    yield break;
                }

                var length = SpoolCodec.ReadLength(header, MaxRecordBytes);
                if (length < 0)
                {
                    yield break;
                }

                var body = new byte[length];
                if (await ReadFullyAsync(reader, body, cancellationToken) < length || SpoolCodec.Decode(header, body) is not { } record)
                {
                    yield break;
                }

                offset += SpoolCodec.HeaderSize + length;
                yield return (record, offset);
            }
        }
    }

    /// <summary>Empties the spool if nothing was appended after <paramref name="replayedTo"/>; true when emptied.</summary>
    public async Task<bool> TryResetAsync(long replayedTo, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_length != replayedTo)
            {
                return false;
            }

            _writer.SetLength(0);
            _writer.Position = 0;
            Volatile.Write(ref _length, 0);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _gate.Dispose();
    }

    private static async Task<int> ReadFullyAsync(FileStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read;
    }
}
