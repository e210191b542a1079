using System.Net;
using System.Threading.Channels;
using Google.Protobuf;

namespace Loops.Grpc;

/// <summary>The body of a client-streaming request: messages written by the caller until it completes.</summary>
internal sealed class StreamingContent<TMessage> : HttpContent
    where TMessage : IMessage<TMessage>
{
    // Bounded, so a caller writing faster than the network waits instead of buffering without limit.
    private readonly Channel<TMessage> _messages = Channel.CreateBounded<TMessage>(
        new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ValueTask WriteAsync(TMessage message, CancellationToken cancellationToken) =>
        _messages.Writer.WriteAsync(message, cancellationToken);

    public void Complete(Exception? error = null) => _messages.Writer.TryComplete(error);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        var reader = _messages.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Drain what is ready into one write, so many small messages cost one HTTP/2 DATA frame, not many.
            while (buffer.WrittenCount < 64 * 1024 && reader.TryRead(out var message))
            {
                MessageFraming.Write(buffer, message);
            }

            await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            buffer.ResetWrittenCount();
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
