using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Loops.Grpc.AspNetCore.Internal;

/// <summary>Reads length-prefixed messages from a request body without copying them.</summary>
internal static class RequestReader
{
    /// <summary>Reads the next message, or returns default when the body ended cleanly.</summary>
    public static async ValueTask<TMessage?> ReadNextAsync<TMessage>(
        PipeReader reader,
        RequestDecoder<TMessage> decode,
        int maxMessageSize,
        string messageName,
        CancellationToken cancellationToken)
        where TMessage : IMessage<TMessage>
    {
        if (await ReadFrameAsync(reader, maxMessageSize, cancellationToken).ConfigureAwait(false) is not { } frame)
        {
            return default;
        }

        try
        {
            return Parse(decode, frame.Payload, messageName);
        }
        finally
        {
            reader.AdvanceTo(frame.End);
        }
    }

    /// <summary>
    /// Waits for the next complete frame and leaves it in the reader: the caller reads its payload, then advances the
    /// reader to <see cref="Frame.End"/>. Returns null when the body ended cleanly.
    /// </summary>
    public static async ValueTask<Frame?> ReadFrameAsync(PipeReader reader, int maxMessageSize, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                if (MessageFraming.TryReadFrame(buffer, maxMessageSize, out var payload, out var frameLength))
                {
                    return new Frame(payload, buffer.GetPosition(frameLength));
                }
            }
            catch
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                var leftover = buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (leftover == 0)
                {
                    return null;
                }

                throw new GrpcException(StatusCode.Internal, "The request ended inside a message.");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Decodes a message, reporting bytes that are not one as the call's error.</summary>
    public static TMessage Parse<TMessage>(RequestDecoder<TMessage> decode, ReadOnlySequence<byte> payload, string messageName)
        where TMessage : IMessage<TMessage>
    {
        try
        {
            return decode(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new GrpcException(
                StatusCode.Internal,
                $"The request is not a valid {messageName} message: {ex.Message}",
                ex);
        }
    }

    /// <summary>A complete frame still held by the reader.</summary>
    /// <param name="Payload">The message's bytes, without the prefix.</param>
    /// <param name="End">Where the frame ends: what to advance the reader to once the payload was read.</param>
    public readonly record struct Frame(ReadOnlySequence<byte> Payload, SequencePosition End);
}
