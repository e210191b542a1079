using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Service.Decisions;

/// <summary>
/// Encodes a decision for the log into a pooled buffer. Its context and actions are the request's, so when the
/// request's bytes are at hand they are copied from there under the decision's field numbers instead of being encoded
/// again field by field (the larger part of a decision, and of the cost of encoding it).
/// </summary>
internal static class DecisionEncoding
{
    private static readonly uint RequestContextTag = Tag(DecideRequest.ContextFieldNumber);
    private static readonly uint RequestActionsTag = Tag(DecideRequest.ActionsFieldNumber);
    private static readonly byte DecisionContextTag = checked((byte)Tag(DecisionEvent.ContextFieldNumber));
    private static readonly byte DecisionActionsTag = checked((byte)Tag(DecisionEvent.ActionsFieldNumber));

    /// <summary>
    /// Adds the context and actions to <paramref name="decision"/> and encodes it; returns the rented buffer (give it
    /// back to <see cref="ArrayPool{T}.Shared"/>) and the encoding's length.
    /// </summary>
    /// <param name="decision">The decision, without its context and actions yet.</param>
    /// <param name="context">The request's context.</param>
    /// <param name="actions">The candidate actions: the request's, or the policy's catalogue.</param>
    /// <param name="fromRequest">Whether <paramref name="actions"/> are the request's.</param>
    /// <param name="requestBytes">The request's encoding, or empty when it is not known.</param>
    /// <param name="length">The encoding's length.</param>
    public static byte[] Encode(
        DecisionEvent decision,
        RepeatedField<Feature> context,
        RepeatedField<Action> actions,
        bool fromRequest,
        ReadOnlySequence<byte> requestBytes,
        out int length)
    {
        if (!fromRequest)
        {
            decision.Actions.Add(actions);
        }

        byte[]? copy = null;
        try
        {
            var request = requestBytes.IsSingleSegment
                ? requestBytes.FirstSpan
                : (copy = Contiguous(requestBytes)).AsSpan(0, (int)requestBytes.Length);
            if (!request.IsEmpty && SplicedLength(request, fromRequest) is { } splicedLength)
            {
                var headLength = decision.CalculateSize();
                length = headLength + splicedLength;
                var encoded = ArrayPool<byte>.Shared.Rent(length);
                decision.WriteTo(encoded.AsSpan(0, headLength));
                Splice(request, fromRequest, encoded.AsSpan(headLength));
                decision.Context.Add(context);
                if (fromRequest)
                {
                    decision.Actions.Add(actions);
                }

                return encoded;
            }
        }
        finally
        {
            if (copy is not null)
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }

        decision.Context.Add(context);
        if (fromRequest)
        {
            decision.Actions.Add(actions);
        }

        length = decision.CalculateSize();
        var whole = ArrayPool<byte>.Shared.Rent(length);
        decision.WriteTo(whole.AsSpan(0, length));
        return whole;
    }

    private static uint Tag(int fieldNumber) => WireFormat.MakeTag(fieldNumber, WireFormat.WireType.LengthDelimited);

    private static byte[] Contiguous(ReadOnlySequence<byte> bytes)
    {
        var copy = ArrayPool<byte>.Shared.Rent((int)bytes.Length);
        bytes.CopyTo(copy);
        return copy;
    }

    // The bytes of the request's context (and actions) fields, or null when its top level cannot be walked.
    private static int? SplicedLength(ReadOnlySpan<byte> request, bool withActions)
    {
        var total = 0;
        var reader = new TopLevelFields(request);
        while (reader.Next(out var tag, out var field))
        {
            if (tag == RequestContextTag || (withActions && tag == RequestActionsTag))
            {
                total += field.Length;
            }
        }

        return reader.Failed ? null : total;
    }

    private static void Splice(ReadOnlySpan<byte> request, bool withActions, Span<byte> destination)
    {
        var reader = new TopLevelFields(request);
        while (reader.Next(out var tag, out var field))
        {
            if (tag == RequestContextTag || (withActions && tag == RequestActionsTag))
            {
                // Both tags are one byte, so only the first byte changes: the length and the message follow as they are.
                field.CopyTo(destination);
                destination[0] = tag == RequestContextTag ? DecisionContextTag : DecisionActionsTag;
                destination = destination[field.Length..];
            }
        }
    }

    /// <summary>Walks the top-level fields of a message: each field's tag and its whole bytes, tag included.</summary>
    private ref struct TopLevelFields(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;

        public bool Failed { get; private set; }

        public bool Next(out uint tag, out ReadOnlySpan<byte> field)
        {
            tag = 0;
            field = default;
            if (_position >= _bytes.Length)
            {
                return false;
            }

            var start = _position;
            if (!TryVarint(out var rawTag) || !TrySkip((WireFormat.WireType)(rawTag & 7)))
            {
                Failed = true;
                return false;
            }

            tag = (uint)rawTag;
            field = _bytes[start.._position];
            return true;
        }

        private bool TrySkip(WireFormat.WireType type)
        {
            switch (type)
            {
                case WireFormat.WireType.Varint:
                    return TryVarint(out _);
                case WireFormat.WireType.Fixed64:
                    return Advance(8);
                case WireFormat.WireType.Fixed32:
                    return Advance(4);
                case WireFormat.WireType.LengthDelimited:
                    return TryVarint(out var length) && length <= (ulong)(_bytes.Length - _position) && Advance((int)length);
                default:
                    return false;
            }
        }

        private bool Advance(int count)
        {
            if (_bytes.Length - _position < count)
            {
                return false;
            }

            _position += count;
            return true;
        }

        private bool TryVarint(out ulong value)
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
