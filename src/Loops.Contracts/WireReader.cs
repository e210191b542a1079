using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Loops.Contracts;

/// <summary>
/// Reads the protobuf wire format from a span: varints, length-delimited fields, little-endian doubles. Every read
/// says whether it succeeded, so the decoders built on it can hand anything unexpected to the generated parser.
/// </summary>
/// <param name="bytes">The message's bytes.</param>
public ref struct WireReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    /// <summary>Whether every byte was read.</summary>
    public readonly bool End => _position >= _bytes.Length;

    /// <summary>How many bytes were read.</summary>
    public readonly int Position => _position;

    /// <summary>Reads a field's tag (its number and wire type); false at a malformed or zero tag.</summary>
    public bool TryReadTag(out uint tag)
    {
        tag = 0;
        return TryReadVarint(out var value) && value is > 0 and <= uint.MaxValue && (tag = (uint)value) > 0;
    }

    /// <summary>Reads a length-delimited field's bytes; false when its length runs past the end.</summary>
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

    /// <summary>Reads a little-endian 64-bit double; false when fewer than eight bytes are left.</summary>
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

    /// <summary>
    /// Steps over the value of a field whose tag was just read; false for groups (deprecated, never used by Loops) and
    /// malformed values.
    /// </summary>
    public bool TrySkip(uint tag) => (tag & 7) switch
    {
        0 => TryReadVarint(out _),
        1 => TryReadDouble(out _),
        2 => TryReadBytes(out _),
        5 => TryAdvance(sizeof(int)),
        _ => false,
    };

    /// <summary>Reads a varint of up to 64 bits; false when it runs past the end or over ten bytes.</summary>
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

    private bool TryAdvance(int count)
    {
        if (_bytes.Length - _position < count)
        {
            return false;
        }

        _position += count;
        return true;
    }

    /// <summary>A string that repeats across messages (a name, an id of the catalogue): shared, see <see cref="SharedStrings"/>.</summary>
    /// <returns>False for a malformed field or invalid UTF-8.</returns>
    public bool TryReadSharedString(out string value)
    {
        value = string.Empty;
        return TryReadBytes(out var utf8) && SharedStrings.TryGet(utf8, out value);
    }

    /// <summary>A string unique to its message (an event id, a user id): decoded anew.</summary>
    /// <returns>False for a malformed field or invalid UTF-8.</returns>
    public bool TryReadString(out string value)
    {
        value = string.Empty;
        return TryReadBytes(out var utf8) && Utf8.IsValid(utf8) && (value = Encoding.UTF8.GetString(utf8)) is not null;
    }
}
