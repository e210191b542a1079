using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Loops.Contracts;
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
    /// The pool the encodings come from. A decision holds its buffer until the log has written it, on another thread
    /// than the one that rented it, with a hundred or more decisions in flight at once: more than the shared pool
    /// keeps per core, so it would allocate most of them anew.
    /// </summary>
    public static ArrayPool<byte> Buffers { get; } = ArrayPool<byte>.Create(maxArrayLength: 1024 * 1024, maxArraysPerBucket: 1024);

    /// <summary>
    /// Adds the context and actions to <paramref name="decision"/> and encodes it; returns the rented buffer (give it
    /// back to <see cref="Buffers"/>) and the encoding's length.
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
        // Sized first: adding a list to an empty repeated field would size it for twice as many.
        Presize(decision.Context, context.Count);
        Presize(decision.Actions, actions.Count);
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
                var encoded = Buffers.Rent(length);
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
        var whole = Buffers.Rent(length);
        decision.WriteTo(whole.AsSpan(0, length));
        return whole;
    }

    private static void Presize<T>(RepeatedField<T> field, int count)
    {
        if (field.Count == 0 && count > 0)
        {
            field.Capacity = count;
        }
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
        private WireReader _reader = new(bytes);

        public bool Failed { get; private set; }

        public bool Next(out uint tag, out ReadOnlySpan<byte> field)
        {
            field = default;
            tag = 0;
            if (_reader.End)
            {
                return false;
            }

            var start = _reader.Position;
            if (!_reader.TryReadTag(out tag) || !_reader.TrySkip(tag))
            {
                Failed = true;
                return false;
            }

            field = _bytes[start.._reader.Position];
            return true;
        }
    }
}
