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
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            bool complete;
            try
            {
                complete = MessageFraming.TryReadFrame(buffer, maxMessageSize, out var payload, out var frameLength);
                if (complete)
                {
                    var message = Parse(decode, payload, messageName);
                    reader.AdvanceTo(buffer.GetPosition(frameLength));
                    return message;
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
                    return default;
                }

                throw new GrpcException(StatusCode.Internal, "The request ended inside a message.");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static TMessage Parse<TMessage>(RequestDecoder<TMessage> decode, System.Buffers.ReadOnlySequence<byte> payload, string messageName)
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
}
