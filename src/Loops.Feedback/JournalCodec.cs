using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>Encodes journal records into a <see cref="RecordBuffer"/> and applies decoded ones to a <see cref="FeedbackState"/>.</summary>
internal static class JournalCodec
{
    private const int TallyBytes = 28;

    /// <summary>
    /// Writes a decision record and returns the decision's bytes in the buffer: valid until the next record is framed.
    /// </summary>
    public static ReadOnlySpan<byte> WriteDecision(RecordBuffer buffer, DecisionEvent decision)
    {
        var body = buffer.BeginFrame(1 + decision.CalculateSize());
        body[0] = (byte)JournalRecordKind.Decision;
        decision.WriteTo(body[1..]);
        buffer.EndFrame();
        return body[1..];
    }

    /// <summary>Writes a decision already encoded as protobuf bytes.</summary>
    public static void WriteDecision(RecordBuffer buffer, ReadOnlySpan<byte> encodedDecision)
    {
        var body = buffer.BeginFrame(1 + encodedDecision.Length);
        body[0] = (byte)JournalRecordKind.Decision;
        encodedDecision.CopyTo(body[1..]);
        buffer.EndFrame();
    }

    public static void WriteReward(RecordBuffer buffer, RewardEvent reward, long receivedAtUnixMs)
    {
        var body = buffer.BeginFrame(9 + reward.CalculateSize());
        body[0] = (byte)JournalRecordKind.Reward;
        BinaryPrimitives.WriteInt64LittleEndian(body[1..], receivedAtUnixMs);
        reward.WriteTo(body[9..]);
        buffer.EndFrame();
    }

    public static void WriteJoinedMarker(RecordBuffer buffer, long sequence, long joinedAtUnixMs, string eventId)
    {
        var body = buffer.BeginFrame(17 + Encoding.UTF8.GetByteCount(eventId));
        body[0] = (byte)JournalRecordKind.JoinedMarker;
        BinaryPrimitives.WriteInt64LittleEndian(body[1..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(body[9..], joinedAtUnixMs);
        Encoding.UTF8.GetBytes(eventId, body[17..]);
        buffer.EndFrame();
    }

    /// <summary>
    /// Writes a checkpoint of <paramref name="snapshot"/>, handing the buffer to <paramref name="flush"/> whenever it
    /// holds <paramref name="chunkBytes"/> or more (and at the end), so a large state never sits in memory twice.
    /// </summary>
    public static void WriteCheckpoint(RecordBuffer buffer, FeedbackSnapshot snapshot, int chunkBytes, Action<RecordBuffer> flush)
    {
        var start = buffer.BeginFrame(9);
        start[0] = (byte)JournalRecordKind.CheckpointStart;
        BinaryPrimitives.WriteInt64LittleEndian(start[1..], snapshot.LastJoinedSequence);
        buffer.EndFrame();

        foreach (var pending in snapshot.Pending)
        {
            var encoded = snapshot.Bytes.First(pending.Bytes);
            var body = buffer.BeginFrame(1 + TallyBytes + encoded.Length);
            body[0] = (byte)JournalRecordKind.PendingDecisionTally;
            WriteTally(body[1..], pending.Rewards);
            encoded.CopyTo(body[(1 + TallyBytes)..]);
            buffer.EndFrame();
            FlushIfFull(buffer, chunkBytes, flush);
        }

        foreach (var (eventId, orphan) in snapshot.Orphans)
        {
            var body = buffer.BeginFrame(9 + TallyBytes + Encoding.UTF8.GetByteCount(eventId));
            body[0] = (byte)JournalRecordKind.OrphanRewardTally;
            BinaryPrimitives.WriteInt64LittleEndian(body[1..], orphan.FirstReceivedAtUnixMs);
            WriteTally(body[9..], orphan.Rewards);
            Encoding.UTF8.GetBytes(eventId, body[(9 + TallyBytes)..]);
            buffer.EndFrame();
            FlushIfFull(buffer, chunkBytes, flush);
        }

        foreach (var joined in snapshot.RecentlyJoined)
        {
            var body = buffer.BeginFrame(17);
            body[0] = (byte)JournalRecordKind.RecentlyJoined;
            BinaryPrimitives.WriteUInt64LittleEndian(body[1..], joined.EventIdHash);
            BinaryPrimitives.WriteInt64LittleEndian(body[9..], joined.JoinedAtUnixMs);
            buffer.EndFrame();
            FlushIfFull(buffer, chunkBytes, flush);
        }

        buffer.BeginFrame(1)[0] = (byte)JournalRecordKind.CheckpointEnd;
        buffer.EndFrame();
        flush(buffer);
    }

    /// <summary>Applies one replayed record; returns its kind.</summary>
    /// <exception cref="InvalidDataException">The record is intact but not understood.</exception>
    public static JournalRecordKind Apply(ReadOnlySpan<byte> body, FeedbackState state)
    {
        var kind = (JournalRecordKind)body[0];
        try
        {
            switch (kind)
            {
                case JournalRecordKind.Decision:
                    state.ApplyDecision(DecisionEvent.Parser.ParseFrom(body[1..]), body[1..], default);
                    break;
                case JournalRecordKind.Reward:
                    state.ApplyReward(RewardEvent.Parser.ParseFrom(body[9..]), BinaryPrimitives.ReadInt64LittleEndian(body[1..]));
                    break;
                case JournalRecordKind.JoinedMarker:
                    state.CompleteJoin(
                        Encoding.UTF8.GetString(body[17..]),
                        BinaryPrimitives.ReadInt64LittleEndian(body[1..]),
                        BinaryPrimitives.ReadInt64LittleEndian(body[9..]));
                    break;
                case JournalRecordKind.CheckpointStart:
                    state.LastJoinedSequence = Math.Max(state.LastJoinedSequence, BinaryPrimitives.ReadInt64LittleEndian(body[1..]));
                    break;
                case JournalRecordKind.PendingDecision:
                    state.RestorePending(
                        DecisionEvent.Parser.ParseFrom(body[13..]),
                        RewardTally.FromSum(BinaryPrimitives.ReadDoubleLittleEndian(body[1..]), BinaryPrimitives.ReadInt32LittleEndian(body[9..])));
                    break;
                case JournalRecordKind.PendingDecisionTally:
                    state.RestorePending(DecisionEvent.Parser.ParseFrom(body[(1 + TallyBytes)..]), ReadTally(body[1..]));
                    break;
                case JournalRecordKind.OrphanReward:
                    state.RestoreOrphan(
                        Encoding.UTF8.GetString(body[21..]),
                        new OrphanReward(
                            BinaryPrimitives.ReadInt64LittleEndian(body[1..]),
                            RewardTally.FromSum(BinaryPrimitives.ReadDoubleLittleEndian(body[9..]), BinaryPrimitives.ReadInt32LittleEndian(body[17..]))));
                    break;
                case JournalRecordKind.OrphanRewardTally:
                    state.RestoreOrphan(
                        Encoding.UTF8.GetString(body[(9 + TallyBytes)..]),
                        new OrphanReward(BinaryPrimitives.ReadInt64LittleEndian(body[1..]), ReadTally(body[9..])));
                    break;
                case JournalRecordKind.RecentlyJoined:
                    state.RestoreRecentlyJoined(new RecentlyJoined(
                        BinaryPrimitives.ReadUInt64LittleEndian(body[1..]),
                        BinaryPrimitives.ReadInt64LittleEndian(body[9..])));
                    break;
                case JournalRecordKind.CheckpointEnd:
                    break;
                default:
                    throw new InvalidDataException($"Unknown journal record kind {(byte)kind}.");
            }
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"Unreadable {kind} journal record.", exception);
        }

        return kind;
    }

    private static void FlushIfFull(RecordBuffer buffer, int chunkBytes, Action<RecordBuffer> flush)
    {
        if (buffer.Length >= chunkBytes)
        {
            flush(buffer);
        }
    }

    private static void WriteTally(Span<byte> destination, RewardTally tally)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(destination, tally.Sum);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], tally.Count);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[12..], tally.First);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[20..], tally.Last);
    }

    private static RewardTally ReadTally(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadDoubleLittleEndian(source),
        BinaryPrimitives.ReadInt32LittleEndian(source[8..]),
        BinaryPrimitives.ReadDoubleLittleEndian(source[12..]),
        BinaryPrimitives.ReadDoubleLittleEndian(source[20..]));
}
