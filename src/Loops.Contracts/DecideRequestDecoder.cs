using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Contracts;

/// <summary>
/// Decodes <see cref="DecideRequest"/>s for the server faster than the generated parser: the strings that repeat from
/// request to request (policy, namespaces, names, categories, action ids) are shared (<see cref="SharedStrings"/>), and
/// repeated fields get arrays of the right size. It decodes the fields it knows, in the wire format they are defined
/// with; anything else (unknown fields, other wire types, invalid UTF-8, malformed bytes) is handed to the generated
/// parser, so the result and the errors are always the generated parser's.
/// </summary>
public static class DecideRequestDecoder
{
    // Requests larger than this that arrive in several buffers are left to the generated parser rather than copied.
    private const int MaxCopiedBytes = 64 * 1024;

    /// <summary>Decodes a request from its bytes.</summary>
    /// <param name="payload">The message's bytes.</param>
    /// <returns>The request, equal to what <see cref="DecideRequest.Parser"/> gives.</returns>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a valid message.</exception>
    public static DecideRequest Decode(ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return TryDecode(payload.FirstSpan) ?? DecideRequest.Parser.ParseFrom(payload);
        }

        if (payload.Length > MaxCopiedBytes)
        {
            return DecideRequest.Parser.ParseFrom(payload);
        }

        var length = (int)payload.Length;
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(copy);
            return TryDecode(copy.AsSpan(0, length)) ?? DecideRequest.Parser.ParseFrom(payload);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>Decodes a request, or returns null for anything the generated parser should see.</summary>
    internal static DecideRequest? TryDecode(ReadOnlySpan<byte> bytes)
    {
        var request = new DecideRequest();
        if (!Presize(bytes, request))
        {
            return null;
        }

        var reader = new WireReader(bytes);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag) || !reader.TryReadBytes(out var field))
            {
                return null;
            }

            switch (tag)
            {
                case 10 when TryShared(field, out var policy):
                    request.Policy = policy;
                    break;
                case 18 when TryDecoded(field, out var eventId):
                    request.EventId = eventId;
                    break;
                case 26 when TryDecoded(field, out var userId):
                    request.UserId = userId;
                    break;
                case 34 when TryDecodeFeature(field) is { } feature:
                    request.Context.Add(feature);
                    break;
                case 42 when TryDecodeAction(field) is { } action:
                    request.Actions.Add(action);
                    break;
                case 50 when TryShared(field, out var excluded):
                    request.ExcludedActionIds.Add(excluded);
                    break;
                default:
                    return null;
            }
        }

        return request;
    }

    // Sizes the repeated fields from a first pass over the tags; false when the bytes are not all length-delimited fields.
    private static bool Presize(ReadOnlySpan<byte> bytes, DecideRequest request)
    {
        var context = 0;
        var actions = 0;
        var reader = new WireReader(bytes);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag) || !reader.TryReadBytes(out _))
            {
                return false;
            }

            context += tag == 34 ? 1 : 0;
            actions += tag == 42 ? 1 : 0;
        }

        SetCapacity(request.Context, context);
        SetCapacity(request.Actions, actions);
        return true;
    }

    private static void SetCapacity<T>(RepeatedField<T> field, int count)
    {
        if (count > 0)
        {
            field.Capacity = count;
        }
    }

    private static Feature? TryDecodeFeature(ReadOnlySpan<byte> bytes)
    {
        var feature = new Feature();
        var reader = new WireReader(bytes);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return null;
            }

            switch (tag)
            {
                case 10 when reader.TryReadBytes(out var field) && TryShared(field, out var featureNamespace):
                    feature.Namespace = featureNamespace;
                    break;
                case 18 when reader.TryReadBytes(out var field) && TryShared(field, out var name):
                    feature.Name = name;
                    break;
                case 25 when reader.TryReadDouble(out var number):
                    feature.Number = number;
                    break;
                case 34 when reader.TryReadBytes(out var field) && TryShared(field, out var category):
                    feature.Category = category;
                    break;
                default:
                    return null;
            }
        }

        return feature;
    }

    private static Action? TryDecodeAction(ReadOnlySpan<byte> bytes)
    {
        var action = new Action();
        var features = 0;
        var reader = new WireReader(bytes);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return null;
            }

            switch (tag)
            {
                case 10 when reader.TryReadBytes(out var field) && TryShared(field, out var id):
                    action.Id = id;
                    break;
                case 18 when reader.TryReadBytes(out var field) && TryDecodeFeature(field) is { } feature:
                    if (features++ == 0)
                    {
                        // Actions carry few features: an exact array, not the default of eight slots and growth.
                        action.Features.Capacity = CountFeatures(bytes);
                    }

                    action.Features.Add(feature);
                    break;
                case 25 when reader.TryReadDouble(out var cost):
                    action.Cost = cost;
                    break;
                default:
                    return null;
            }
        }

        return action;
    }

    private static int CountFeatures(ReadOnlySpan<byte> action)
    {
        var count = 0;
        var reader = new WireReader(action);
        while (!reader.End && reader.TryReadTag(out var tag))
        {
            var skipped = tag switch
            {
                18 => reader.TryReadBytes(out _) && ++count > 0,
                25 => reader.TryReadDouble(out _),
                _ => reader.TryReadBytes(out _),
            };
            if (!skipped)
            {
                break;
            }
        }

        return Math.Max(count, 1);
    }

    private static bool TryShared(ReadOnlySpan<byte> utf8, out string value)
    {
        value = Utf8.IsValid(utf8) ? SharedStrings.Get(utf8) : string.Empty;
        return value.Length > 0 || utf8.IsEmpty;
    }

    private static bool TryDecoded(ReadOnlySpan<byte> utf8, out string value)
    {
        value = Utf8.IsValid(utf8) ? Encoding.UTF8.GetString(utf8) : string.Empty;
        return value.Length > 0 || utf8.IsEmpty;
    }

    /// <summary>Reads protobuf wire format: varint tags and lengths, length-delimited fields, little-endian doubles.</summary>
    private ref struct WireReader(ReadOnlySpan<byte> bytes)
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

        private bool TryReadVarint(out ulong value)
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
    }
}
