using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Contracts;

/// <summary>
/// Decodes logged <see cref="JoinedEvent"/>s and <see cref="DecisionEvent"/>s as <see cref="DecideRequestDecoder"/>
/// decodes requests: repeated strings shared, repeated fields sized exactly, and the generated parser for anything
/// else, so the result and the errors are always the generated parser's. Trainers and reports decode every joined
/// event; this keeps that from being most of their garbage.
/// </summary>
/// <remarks>
/// Features and actions are shared with other events decoded from the same bytes on the same thread: read them, do
/// not change them (copy with <c>Clone()</c> first).
/// </remarks>
public static class JoinedEventDecoder
{
    /// <summary>Decodes a joined event.</summary>
    /// <param name="bytes">The message's bytes.</param>
    /// <returns>The event, equal to what <see cref="JoinedEvent.Parser"/> gives.</returns>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a valid message.</exception>
    public static JoinedEvent Decode(ReadOnlySpan<byte> bytes) => FastDecoding.Decode(bytes, JoinedEvent.Parser, TryDecode);

    /// <summary>Decodes a decision event.</summary>
    /// <param name="bytes">The message's bytes.</param>
    /// <returns>The event, equal to what <see cref="DecisionEvent.Parser"/> gives.</returns>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a valid message.</exception>
    public static DecisionEvent DecodeDecision(ReadOnlySpan<byte> bytes) =>
        FastDecoding.Decode(bytes, DecisionEvent.Parser, TryDecodeDecision);

    internal static JoinedEvent? TryDecode(ReadOnlySpan<byte> bytes) =>
        MessageDecoding.TryDecode(bytes, new JoinedEvent(), ReadJoinedField);

    internal static DecisionEvent? TryDecodeDecision(ReadOnlySpan<byte> bytes) =>
        MessageDecoding.TryDecode(bytes, new DecisionEvent(), ReadDecisionField);

    private static bool ReadJoinedField(ref WireReader reader, uint tag, ReadOnlySpan<byte> message, JoinedEvent joined)
    {
        ulong number;
        switch (tag)
        {
            // A decision that occurs twice is merged by the generated parser: left to it.
            case 10 when joined.Decision is null && reader.TryReadBytes(out var field) && TryDecodeDecision(field) is { } decision:
                joined.Decision = decision;
                return true;
            case 17 when reader.TryReadDouble(out var reward):
                joined.Reward = reward;
                return true;
            case 24 when reader.TryReadVarint(out number):
                joined.IsDefaultReward = number != 0;
                return true;
            case 32 when reader.TryReadVarint(out number):
                joined.RewardCount = (int)number;
                return true;
            case 40 when reader.TryReadVarint(out number):
                joined.JoinedAtUnixMs = (long)number;
                return true;
            default:
                return false;
        }
    }

    private static bool ReadDecisionField(ref WireReader reader, uint tag, ReadOnlySpan<byte> message, DecisionEvent decision)
    {
        ulong number;
        ReadOnlySpan<byte> field;
        string text;
        switch (tag)
        {
            case 10 when reader.TryReadString(out text):
                decision.EventId = text;
                return true;
            case 18 when reader.TryReadSharedString(out text):
                decision.Policy = text;
                return true;
            case 24 when reader.TryReadVarint(out number):
                decision.ModelVersion = (long)number;
                return true;
            case 32 when reader.TryReadVarint(out number):
                decision.TimestampUnixMs = (long)number;
                return true;
            case 42 when reader.TryReadString(out text):
                decision.UserId = text;
                return true;
            case 50 when reader.TryReadBytes(out field) && MessageDecoding.TryDecodeFeature(field) is { } feature:
                MessageDecoding.Presize(decision.Context, message, 50);
                decision.Context.Add(feature);
                return true;
            case 58 when reader.TryReadBytes(out field) && MessageDecoding.TryDecodeAction(field) is { } action:
                MessageDecoding.Presize(decision.Actions, message, 58);
                decision.Actions.Add(action);
                return true;
            case 66 when reader.TryReadBytes(out field):
                return MessageDecoding.TryAddPackedDoubles(field, decision.Probabilities);
            case 72 when reader.TryReadVarint(out number):
                decision.ChosenIndex = (int)number;
                return true;
            case 80 when reader.TryReadVarint(out number):
                decision.Exploratory = number != 0;
                return true;
            case 88 when reader.TryReadVarint(out number):
                decision.JoinDeadlineUnixMs = (long)number;
                return true;
            case 97 when reader.TryReadDouble(out var defaultReward):
                decision.DefaultReward = defaultReward;
                return true;
            case 160 when reader.TryReadVarint(out number):
                decision.Control = number != 0;
                return true;
            case 170 when reader.TryReadBytes(out field):
                return MessageDecoding.TryAddPackedDoubles(field, decision.Scores);
            case 178 when reader.TryReadBytes(out field) && MessageDecoding.TryDecodeMaskedAction(field) is { } masked:
                decision.Masked.Add(masked);
                return true;
            case 185 when reader.TryReadDouble(out var chosenCost):
                decision.ChosenCost = chosenCost;
                return true;
            case 192 when reader.TryReadVarint(out number):
                decision.RewardAggregation = (RewardAggregation)(int)number;
                return true;
            default:
                return false;
        }
    }
}
