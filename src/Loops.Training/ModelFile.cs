using System.Buffers.Binary;
using Loops.Core.Policies;

namespace Loops.Training;

/// <summary>
/// A model snapshot on disk: version, events learned and the last joined sequence, then the model. Written to a
/// temporary file and renamed, so a crash leaves the previous snapshot whole.
/// </summary>
public static class ModelFile
{
    private const uint Magic = 0x4C4F4F50; // "LOOP"
    private const int HeaderSize = 4 + 8 + 8 + 8;

    /// <summary>Encodes a snapshot: the header (version, events learned, last sequence), then the model.</summary>
    public static byte[] Encode(long version, long eventsLearned, long lastSequence, ReadOnlySpan<byte> model)
    {
        var bytes = new byte[HeaderSize + model.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(4), version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12), eventsLearned);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(20), lastSequence);
        model.CopyTo(bytes.AsSpan(HeaderSize));
        return bytes;
    }

    /// <summary>Decodes a snapshot made by <see cref="Encode"/> (or read from a file); <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a snapshot, or the model is unreadable.</exception>
    public static (long Version, long EventsLearned, long LastSequence, BanditPolicy Policy) Decode(byte[] bytes, string source)
    {
        if (bytes.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            throw new InvalidDataException($"{source} is not a Loops model snapshot.");
        }

        var version = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(4));
        var events = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        var sequence = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(20));
        using var stream = new MemoryStream(bytes, HeaderSize, bytes.Length - HeaderSize, writable: false);
        return (version, events, sequence, BanditPolicy.ReadFrom(stream));
    }

    /// <summary>Writes a snapshot atomically (temporary file, then rename).</summary>
    public static Task WriteAsync(string path, long version, long eventsLearned, long lastSequence, byte[] model, CancellationToken cancellationToken) =>
        WriteAsync(path, Encode(version, eventsLearned, lastSequence, model), cancellationToken);

    /// <summary>Writes an encoded snapshot atomically (temporary file, flushed to disk, then rename).</summary>
    public static async Task WriteAsync(string path, byte[] snapshot, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(snapshot, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

            // An fsync waits for the disk, 100-150 ms on this project's VM under load: on a thread of the pool it took
            // one of the two workers that answer decisions away for that long.
            await Task.Factory.StartNew(
                static file => ((FileStream)file!).Flush(flushToDisk: true),
                stream,
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Reads a snapshot written by <see cref="WriteAsync(string, byte[], CancellationToken)"/>; null when the file does
    /// not exist. The model may be a bandit policy or, in older snapshots, a bare linear reward model.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a snapshot, or its model is unreadable.</exception>
    public static async Task<(long Version, long EventsLearned, long LastSequence, BanditPolicy Policy)?> ReadAsync(
        string path,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return Decode(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), path);
    }
}
