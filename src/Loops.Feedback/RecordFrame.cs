using System.Buffers.Binary;
using System.IO.Hashing;

namespace Loops.Feedback;

/// <summary>
/// The framing of every record on disk: a little-endian body length, the CRC-32 of the body, then the body.
/// The checksum is what tells a torn or corrupt tail after a crash from a complete record.
/// </summary>
internal static class RecordFrame
{
    public const int HeaderSize = 8;

    // Larger than any sane record; a bigger length can only come from a corrupt header.
    public const int MaxBodySize = 64 * 1024 * 1024;

    public static void WriteHeader(Span<byte> header, ReadOnlySpan<byte> body)
    {
        BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.HashToUInt32(body));
    }

    public static int ReadBodyLength(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32LittleEndian(header);

    public static bool IsIntact(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body) =>
        BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) == Crc32.HashToUInt32(body);
}
