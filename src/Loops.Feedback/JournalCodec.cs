using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>Encodes journal records into a <see cref="RecordBuffer"/> and applies decoded ones to a <see cref="FeedbackState"/>.</summary>
internal static class JournalCodec
{
    private const int TallyBytes = 28;

    // PendingLocation: kind, tally, segment, offset, length, deadline, aggregation, default reward, response flag.
    private const int PendingLocationBytes = 1 + TallyBytes + 4 + 8 + 4 + 8 + 4 + 8 + 1;
    private const int EventKeyBytes = 16;

    // DecisionEvent.event_id: field 1, length-delimited; written first, so a record can be checked against its id cheaply.
    private const byte EventIdTag = (1 << 3) | 2;

    /// <summary>Writes a decision record.</summary>
    public static void WriteDecision(RecordBuffer buffer, DecisionEvent decision)
    {
        var body = buffer.BeginFrame(1 + decision.CalculateSize());
        body[0] = (byte)JournalRecordKind.Decision;
        decision.WriteTo(body[1..]);
        buffer.EndFrame();
    }

    /// <summary>Writes a decision record from its protobuf bytes, or encodes it when they are empty.</summary>
    public static void WriteDecision(RecordBuffer buffer, DecisionEvent decision, ReadOnlySpan<byte> encodedDecision)
    {
        if (encodedDecision.IsEmpty)
        {
            WriteDecision(buffer, decision);
            return;
        }

        var body = buffer.BeginFrame(1 + encodedDecision.Length);
        body[0] = (byte)JournalRecordKind.Decision;
        encodedDecision.CopyTo(body[1..]);
        buffer.EndFrame();
    }

    /// <summary>Fills <paramref name="length"/> bytes (at least 9) with padding records, replay skips them.</summary>
    public static void WritePadding(RecordBuffer buffer, long length)
    {
        while (length > 0)
        {
            // Each frame takes what is left, leaving either nothing or enough for one more frame.
            var frame = (int)Math.Min(length, RecordFrame.MaxBodySize / 2);
            if (length - frame is > 0 and < 2 * RecordFrame.HeaderSize)
            {
                frame -= 2 * RecordFrame.HeaderSize;
            }

            var body = buffer.BeginFrame(frame - RecordFrame.HeaderSize);
            body.Clear();
            body[0] = (byte)JournalRecordKind.Padding;
            buffer.EndFrame();
            length -= frame;
        }
    }

    /// <summary>The decision's protobuf bytes in a record that holds one, or empty.</summary>
    public static ReadOnlySpan<byte> DecisionOf(ReadOnlySpan<byte> body)
    {
        var (start, length) = DecisionRange(body);
        return body.Slice(start, length);
    }

    /// <summary>Where the decision's protobuf bytes are in a record body (empty when it holds none).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The record is too short for its kind.</exception>
    public static (int Start, int Length) DecisionRange(ReadOnlySpan<byte> body) => (JournalRecordKind)body[0] switch
    {
        JournalRecordKind.Decision => (1, body.Length - 1),
        JournalRecordKind.DecisionWithResponse => (5, Math.Max(0, Math.Min(BinaryPrimitives.ReadInt32LittleEndian(body[1..]), body.Length - 5))),
        JournalRecordKind.PendingDecisionTally => (1 + TallyBytes, body.Length - 1 - TallyBytes),
        JournalRecordKind.PendingDecision => (13, body.Length - 13),
        _ => (0, 0),
    };

    /// <summary>The encoded response in a decision record that holds one (written by earlier versions), or empty.</summary>
    public static ReadOnlySpan<byte> ResponseOf(ReadOnlySpan<byte> body) =>
        (JournalRecordKind)body[0] == JournalRecordKind.DecisionWithResponse
            ? body[(5 + BinaryPrimitives.ReadInt32LittleEndian(body[1..]))..]
            : default;

    /// <summary>Whether encoded decision bytes are those of the event id (checked without decoding them).</summary>
    public static bool IsDecisionOf(ReadOnlySpan<byte> decision, string eventId)
    {
        if (!TryGetEventId(decision, out var id) || id.Length != Encoding.UTF8.GetByteCount(eventId))
        {
            return false;
        }

        Span<byte> expected = id.Length <= 256 ? stackalloc byte[id.Length] : new byte[id.Length];
        Encoding.UTF8.GetBytes(eventId, expected);
        return id.SequenceEqual(expected);
    }

    /// <summary>Whether encoded decision bytes are those of the event id with that key (checked without decoding them).</summary>
    public static bool IsDecisionOf(ReadOnlySpan<byte> decision, EventKey key) =>
        TryGetEventId(decision, out var id) && EventKey.Of(id) == key;

    /// <summary>The event id of encoded decision bytes, read without decoding the rest; null when it is not first.</summary>
    public static string? EventIdOf(ReadOnlySpan<byte> decision) =>
        TryGetEventId(decision, out var id) ? Encoding.UTF8.GetString(id) : null;

    // The event id's UTF-8 bytes, which the decision's encoding starts with.
    private static bool TryGetEventId(ReadOnlySpan<byte> decision, out ReadOnlySpan<byte> id)
    {
        id = default;
        if (decision.Length < 2 || decision[0] != EventIdTag)
        {
            return false;
        }

        // The id's length as a varint: one or two bytes for any id a decision can have.
        int length = decision[1];
        var at = 2;
        if (length >= 0x80)
        {
            if (decision.Length < 3)
            {
                return false;
            }

            length = (length & 0x7F) | (decision[2] << 7);
            at = 3;
        }

        if (decision.Length < at + length)
        {
            return false;
        }

        id = decision.Slice(at, length);
        return true;
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

        foreach (var (key, pending) in snapshot.Pending.Entries())
        {
            var body = buffer.BeginFrame(PendingLocationBytes + EventKeyBytes);
            body[0] = (byte)JournalRecordKind.PendingKeyed;
            WriteTally(body[1..], pending.Rewards);
            var at = body[(1 + TallyBytes)..];
            BinaryPrimitives.WriteInt32LittleEndian(at, pending.Location.Segment);
            BinaryPrimitives.WriteInt64LittleEndian(at[4..], pending.Location.Offset);
            BinaryPrimitives.WriteInt32LittleEndian(at[12..], pending.Location.Length);
            BinaryPrimitives.WriteInt64LittleEndian(at[16..], pending.DeadlineUnixMs);
            BinaryPrimitives.WriteInt32LittleEndian(at[24..], (int)pending.Aggregation);
            BinaryPrimitives.WriteDoubleLittleEndian(at[28..], pending.DefaultReward);
            at[36] = pending.Answerable ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt128LittleEndian(body[PendingLocationBytes..], key.Value);
            buffer.EndFrame();
            FlushIfFull(buffer, chunkBytes, flush);
        }

        foreach (var (_, orphan) in snapshot.Orphans.Entries())
        {
            var body = buffer.BeginFrame(9 + TallyBytes + Encoding.UTF8.GetByteCount(orphan.EventId));
            body[0] = (byte)JournalRecordKind.OrphanRewardTally;
            BinaryPrimitives.WriteInt64LittleEndian(body[1..], orphan.FirstReceivedAtUnixMs);
            WriteTally(body[9..], orphan.Rewards);
            Encoding.UTF8.GetBytes(orphan.EventId, body[(9 + TallyBytes)..]);
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

    /// <summary>Applies one replayed record found at <paramref name="location"/>; returns its kind.</summary>
    /// <exception cref="InvalidDataException">The record is intact but not understood.</exception>
    public static JournalRecordKind Apply(ReadOnlySpan<byte> body, FeedbackState state, JournalLocation location)
    {
        var kind = (JournalRecordKind)body[0];
        try
        {
            switch (kind)
            {
                case JournalRecordKind.Decision:
                case JournalRecordKind.DecisionWithResponse:
                    state.ApplyDecision(DecisionEvent.Parser.ParseFrom(DecisionOf(body)), location, answerable: true);
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
                        location,
                        RewardTally.FromSum(BinaryPrimitives.ReadDoubleLittleEndian(body[1..]), BinaryPrimitives.ReadInt32LittleEndian(body[9..])));
                    break;
                case JournalRecordKind.PendingDecisionTally:
                    state.RestorePending(DecisionEvent.Parser.ParseFrom(body[(1 + TallyBytes)..]), location, ReadTally(body[1..]));
                    break;
                case JournalRecordKind.PendingLocation:
                    RestorePendingLocation(body, EventKey.Of(body[PendingLocationBytes..]), state);
                    break;
                case JournalRecordKind.PendingKeyed:
                    RestorePendingLocation(body, new EventKey(BinaryPrimitives.ReadUInt128LittleEndian(body[PendingLocationBytes..])), state);
                    break;
                case JournalRecordKind.Padding:
                    break;
                case JournalRecordKind.OrphanReward:
                    state.RestoreOrphan(new OrphanReward(
                        Encoding.UTF8.GetString(body[21..]),
                        BinaryPrimitives.ReadInt64LittleEndian(body[1..]),
                        RewardTally.FromSum(BinaryPrimitives.ReadDoubleLittleEndian(body[9..]), BinaryPrimitives.ReadInt32LittleEndian(body[17..]))));
                    break;
                case JournalRecordKind.OrphanRewardTally:
                    state.RestoreOrphan(new OrphanReward(
                        Encoding.UTF8.GetString(body[(9 + TallyBytes)..]),
                        BinaryPrimitives.ReadInt64LittleEndian(body[1..]),
                        ReadTally(body[9..])));
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

    private static void RestorePendingLocation(ReadOnlySpan<byte> body, EventKey key, FeedbackState state)
    {
        var at = body[(1 + TallyBytes)..];
        var pending = new PendingDecision
        {
            Rewards = ReadTally(body[1..]),
            Location = new JournalLocation(
                BinaryPrimitives.ReadInt32LittleEndian(at),
                BinaryPrimitives.ReadInt32LittleEndian(at[12..]),
                BinaryPrimitives.ReadInt64LittleEndian(at[4..])),
            DeadlineUnixMs = BinaryPrimitives.ReadInt64LittleEndian(at[16..]),
            Aggregation = (RewardAggregation)BinaryPrimitives.ReadInt32LittleEndian(at[24..]),
            DefaultReward = BinaryPrimitives.ReadDoubleLittleEndian(at[28..]),
            Answerable = at[36] != 0,
        };
        state.RestorePending(key, pending);
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
