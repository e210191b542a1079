using System.Buffers;
using System.Net;
using Google.Protobuf;

namespace Loops.Grpc;

/// <summary>The body of a unary request: one length-prefixed message.</summary>
internal sealed class UnaryContent(IMessage message) : HttpContent
{
    private readonly int _size = message.CalculateSize();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var length = GrpcProtocol.MessagePrefixSize + _size;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Encode(buffer.AsSpan(0, length));
            await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = GrpcProtocol.MessagePrefixSize + _size;
        return true;
    }

    private void Encode(Span<byte> frame)
    {
        frame[0] = 0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame[1..], (uint)_size);
        message.WriteTo(frame[GrpcProtocol.MessagePrefixSize..]);
    }
}
