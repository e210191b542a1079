using System.Buffers;
using Google.Protobuf;

namespace Loops.Contracts;

/// <summary>Runs a fast decoder over a message's bytes, falling back to the generated parser whenever it declines.</summary>
internal static class FastDecoding
{
    // Messages larger than this that arrive in several buffers are left to the generated parser rather than copied.
    private const int MaxCopiedBytes = 64 * 1024;

    public delegate T? TryDecoder<T>(ReadOnlySpan<byte> bytes)
        where T : class;

    public static T Decode<T>(ReadOnlySequence<byte> payload, MessageParser<T> parser, TryDecoder<T> tryDecode)
        where T : class, IMessage<T>
    {
        if (payload.IsSingleSegment)
        {
            return tryDecode(payload.FirstSpan) ?? parser.ParseFrom(payload);
        }

        if (payload.Length > MaxCopiedBytes)
        {
            return parser.ParseFrom(payload);
        }

        var length = (int)payload.Length;
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(copy);
            return tryDecode(copy.AsSpan(0, length)) ?? parser.ParseFrom(payload);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public static T Decode<T>(ReadOnlySpan<byte> bytes, MessageParser<T> parser, TryDecoder<T> tryDecode)
        where T : class, IMessage<T> =>
        tryDecode(bytes) ?? parser.ParseFrom(bytes);
}
