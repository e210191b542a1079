using System.Buffers.Binary;
using System.IO.Hashing;
using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Feedback.Redis;

/// <summary>
/// The spool's frames: length (4 bytes), CRC-32 of the body (4 bytes), then the body: a kind byte and the record.
/// A decision's body holds the response's length, the response and the decision; a reward's body is the reward.
/// </summary>
internal static class SpoolCodec
{
    public const int HeaderSize = 8;
    private const byte DecisionKind = 1;
    private const byte RewardKind = 2;

    public static byte[] Encode(SpoolRecord record)
    {
        byte[] body;
        if (record.Reward is { } reward)
        {
            body = new byte[1 + reward.CalculateSize()];
            body[0] = RewardKind;
            reward.WriteTo(body.AsSpan(1));
        }
        else
        {
            var response = record.Response!.ToByteArray();
            body = new byte[5 + response.Length + record.Decision!.CalculateSize()];
            body[0] = DecisionKind;
            BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(1), response.Length);
            response.CopyTo(body.AsSpan(5));
            record.Decision.WriteTo(body.AsSpan(5 + response.Length));
        }

        var frame = new byte[HeaderSize + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Crc32.HashToUInt32(body));
        body.CopyTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    /// <summary>The body length of a frame header, or -1 when the header cannot start a frame.</summary>
    public static int ReadLength(ReadOnlySpan<byte> header, int maxLength)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        return length is > 0 && length <= maxLength ? length : -1;
    }

    /// <summary>Decodes a body, or returns null when its checksum does not match (a torn write).</summary>
    public static SpoolRecord? Decode(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body)
    {
        if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(header[4..]))
        {
            return null;
        }

        if (body[0] == RewardKind)
        {
            return SpoolRecord.ForReward(RewardEvent.Parser.ParseFrom(body[1..]));
        }

        var responseLength = BinaryPrimitives.ReadInt32LittleEndian(body[1..]);
        var response = DecideResponse.Parser.ParseFrom(body.Slice(5, responseLength));
        var decision = DecisionEvent.Parser.ParseFrom(body[(5 + responseLength)..]);
        return SpoolRecord.ForDecision(decision, response);
    }
}
