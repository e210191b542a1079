using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace Loops.Grpc;

/// <summary>Writes and reads length-prefixed gRPC messages.</summary>
public static class MessageFraming
{
    /// <summary>Writes a message with its 5-byte prefix (uncompressed) into a buffer writer, without copies.</summary>
    public static void Write(IBufferWriter<byte> writer, IMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        var size = message.CalculateSize();
        var span = writer.GetSpan(GrpcProtocol.MessagePrefixSize + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
        message.WriteTo(span.Slice(GrpcProtocol.MessagePrefixSize, size));
        writer.Advance(GrpcProtocol.MessagePrefixSize + size);
    }

    /// <summary>Encodes a message with its prefix into a new array (for clients and tools, not hot paths).</summary>
    public static byte[] ToFrame(IMessage message)
    {
        var writer = new ArrayBufferWriter<byte>();
        Write(writer, message);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Looks for one whole message at the start of <paramref name="buffer"/>. Returns false when more bytes are
    /// needed; <paramref name="frameLength"/> then tells how many (at least the prefix) once the prefix is known.
    /// </summary>
    /// <exception cref="GrpcException">The message is larger than allowed, or compressed.</exception>
    public static bool TryReadFrame(
        in ReadOnlySequence<byte> buffer,
        int maxMessageSize,
        out ReadOnlySequence<byte> payload,
        out long frameLength)
    {
        payload = default;
        frameLength = GrpcProtocol.MessagePrefixSize;
        if (buffer.Length < GrpcProtocol.MessagePrefixSize)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[GrpcProtocol.MessagePrefixSize];
        buffer.Slice(0, GrpcProtocol.MessagePrefixSize).CopyTo(prefix);
        if (prefix[0] == 1)
        {
            throw new GrpcException(
                StatusCode.Internal,
                "The message is flagged as compressed but no grpc-encoding was negotiated; send it uncompressed.");
        }

        if (prefix[0] != 0)
        {
            throw new GrpcException(StatusCode.Internal, $"Invalid message prefix flag {prefix[0]}; expected 0.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        if (length > (uint)maxMessageSize)
        {
            throw new GrpcException(
                StatusCode.ResourceExhausted,
                $"Received message larger than max ({length} vs. {maxMessageSize} bytes).");
        }

        frameLength = GrpcProtocol.MessagePrefixSize + (long)length;
        if (buffer.Length < frameLength)
        {
            return false;
        }

        payload = buffer.Slice(GrpcProtocol.MessagePrefixSize, length);
        return true;
    }
}
