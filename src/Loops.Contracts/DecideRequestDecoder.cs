using System.Buffers;
using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Contracts;

/// <summary>
/// Decodes <see cref="DecideRequest"/>s for the server faster than the generated parser: the strings that repeat from
/// request to request (policy, namespaces, names, categories, action ids) are shared (<see cref="SharedStrings"/>), and
/// repeated fields get arrays of the right size. It decodes the fields it knows, in the wire format they are defined
/// with; anything else (unknown fields, other wire types, invalid UTF-8, malformed bytes) is handed to the generated
/// parser, so the result and the errors are always the generated parser's.
/// </summary>
/// <remarks>
/// Features and actions are shared with other requests decoded from the same bytes on the same thread: candidate
/// actions and categorical features repeat from request to request. Read them, do not change them (copy with
/// <c>Clone()</c> first).
/// </remarks>
public static class DecideRequestDecoder
{
    /// <summary>Decodes a request from its bytes.</summary>
    /// <param name="payload">The message's bytes.</param>
    /// <returns>The request, equal to what <see cref="DecideRequest.Parser"/> gives.</returns>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a valid message.</exception>
    public static DecideRequest Decode(ReadOnlySequence<byte> payload) =>
        FastDecoding.Decode(payload, DecideRequest.Parser, TryDecode);

    /// <summary>Decodes a request, or returns null for anything the generated parser should see.</summary>
    internal static DecideRequest? TryDecode(ReadOnlySpan<byte> bytes) =>
        MessageDecoding.TryDecode(bytes, new DecideRequest(), ReadField);

    private static bool ReadField(ref WireReader reader, uint tag, ReadOnlySpan<byte> message, DecideRequest request)
    {
        string text;
        ReadOnlySpan<byte> field;
        switch (tag)
        {
            case 10 when reader.TryReadSharedString(out text):
                request.Policy = text;
                return true;
            case 18 when reader.TryReadString(out text):
                request.EventId = text;
                return true;
            case 26 when reader.TryReadString(out text):
                request.UserId = text;
                return true;
            case 34 when reader.TryReadBytes(out field) && MessageDecoding.TryDecodeFeature(field) is { } feature:
                MessageDecoding.Presize(request.Context, message, 34);
                request.Context.Add(feature);
                return true;
            case 42 when reader.TryReadBytes(out field) && MessageDecoding.TryDecodeAction(field) is { } action:
                MessageDecoding.Presize(request.Actions, message, 42);
                request.Actions.Add(action);
                return true;
            case 50 when reader.TryReadSharedString(out text):
                request.ExcludedActionIds.Add(text);
                return true;
            default:
                return false;
        }
    }
}
