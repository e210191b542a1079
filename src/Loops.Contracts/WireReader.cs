using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Loops.Contracts;

/// <summary>
/// Reads the protobuf wire format from a span: varints, length-delimited fields, little-endian doubles. Every read
/// says whether it succeeded, so the decoders built on it can hand anything unexpected to the generated parser.
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    public readonly bool End => _position >= _bytes.Length;

    public bool TryReadTag(out uint tag)
    {
        tag = 0;
        return TryReadVarint(out var value) && value is > 0 and <= uint.MaxValue && (tag = (uint)value) > 0;
    }

    public bool TryReadBytes(out ReadOnlySpan<byte> field)
    {
        field = default;
        if (!TryReadVarint(out var length) || length > (ulong)(_bytes.Length - _position))
        {
            return false;
        }

        field = _bytes.Slice(_position, (int)length);
        _position += (int)length;
        return true;
    }

    public bool TryReadDouble(out double value)
    {
        value = 0;
        if (_bytes.Length - _position < sizeof(double))
        {
            return false;
        }

        value = BinaryPrimitives.ReadDoubleLittleEndian(_bytes.Slice(_position));
        _position += sizeof(double);
        return true;
    }

    public bool TryReadVarint(out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && _position < _bytes.Length; shift += 7)
        {
            var next = _bytes[_position++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A string that repeats across messages (a name, an id of the catalogue): shared, see <see cref="SharedStrings"/>.</summary>
    public bool TryReadSharedString(out string value)
    {
        value = string.Empty;
        return TryReadBytes(out var utf8) && Utf8.IsValid(utf8) && (value = SharedStrings.Get(utf8)) is not null;
    }

    /// <summary>A string unique to its message (an event id, a user id): decoded anew.</summary>
    public bool TryReadString(out string value)
    {
        value = string.Empty;
        return TryReadBytes(out var utf8) && Utf8.IsValid(utf8) && (value = Encoding.UTF8.GetString(utf8)) is not null;
    }
}
