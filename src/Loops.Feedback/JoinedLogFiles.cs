using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Loops.Contracts;

namespace Loops.Feedback;

/// <summary>
/// Reads the joined-event log of an embedded store straight from its files, without opening the store (no lock is
/// taken, so the service may keep running): for offline tools such as off-policy evaluation.
/// </summary>
public static class JoinedLogFiles
{
    private const int SequenceSize = 8;

    /// <summary>The folder of the joined log under a data directory (<c>&lt;data&gt;/feedback</c>).</summary>
    /// <param name="dataDirectory">The store's data directory.</param>
    /// <returns>The folder's path.</returns>
    public static string DirectoryOf(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), "feedback");

    /// <summary>Whether a data directory holds at least one joined-log segment.</summary>
    /// <param name="dataDirectory">The store's data directory.</param>
    /// <returns>True when a segment exists.</returns>
    public static bool Exists(string dataDirectory)
    {
        var directory = DirectoryOf(dataDirectory);
        return Directory.Exists(directory) && SegmentFiles.List(directory, SegmentFiles.JoinedPrefix).Count > 0;
    }

    /// <summary>
    /// Reads every joined event stored under a data directory, in sequence order. A record being written (or torn by
    /// a crash) at the end of the newest segment ends the read; events deleted by retention are simply absent.
    /// </summary>
    /// <param name="dataDirectory">The store's data directory.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The joined events.</returns>
    /// <exception cref="DirectoryNotFoundException">The data directory has no joined log.</exception>
    /// <exception cref="InvalidDataException">A segment other than the newest is corrupt or truncated.</exception>
    public static async IAsyncEnumerable<JoinedRecord> ReadAsync(
        string dataDirectory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var directory = DirectoryOf(dataDirectory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory} does not exist: is '{dataDirectory}' a Loops data directory?");
        }

        var segments = SegmentFiles.List(directory, SegmentFiles.JoinedPrefix);
        long next = 1;
        for (int index = 0; index < segments.Count; index++)
        {
            var path = segments[index].Path;
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var reader = new FrameReader(file, 0);
            FrameReadStatus status;
            while ((status = await reader.ReadNextAsync(cancellationToken).ConfigureAwait(false)) == FrameReadStatus.Record)
            {
                var sequence = BinaryPrimitives.ReadInt64LittleEndian(reader.Body.Span);

                // After a crash the joiner may write a sequence again; the first copy counts, as for the store's readers.
                if (sequence >= next)
                {
                    next = sequence + 1;
                    yield return new JoinedRecord(sequence, JoinedEventDecoder.Decode(reader.Body.Span[SequenceSize..]));
                }
            }

            if (status != FrameReadStatus.End && index < segments.Count - 1)
            {
                throw new InvalidDataException($"{path} is {status.ToString().ToLowerInvariant()} at byte {reader.Offset}.");
            }
        }
    }
}
