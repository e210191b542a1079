using Google.Protobuf.Collections;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Contracts;

/// <summary>
/// Decodes the messages that requests and logged events share (features, actions, masked actions) with shared
/// strings; features and actions seen recently are shared whole. Each returns null for anything it does not decode
/// exactly as the generated parser would (unknown fields, other wire types, invalid UTF-8, truncated bytes), so the
/// caller can fall back to that parser.
/// </summary>
internal static class MessageDecoding
{
    /// <summary>Reads one field of a message whose tag was just read; false for anything to leave to the generated parser.</summary>
    public delegate bool FieldReader<in T>(ref WireReader reader, uint tag, ReadOnlySpan<byte> message, T target);

    /// <summary>Decodes a message field by field, or returns null as soon as a field is declined.</summary>
    public static T? TryDecode<T>(ReadOnlySpan<byte> bytes, T message, FieldReader<T> readField)
        where T : class
    {
        var reader = new WireReader(bytes);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag) || !readField(ref reader, tag, bytes, message))
            {
                return null;
            }
        }

        return message;
    }

    /// <summary>A feature, shared with other messages decoded from the same bytes (<see cref="SharedMessages{T}"/>).</summary>
    public static Feature? TryDecodeFeature(ReadOnlySpan<byte> bytes) => SharedMessages<Feature>.Get(bytes, DecodeFeature);

    /// <summary>An action, shared with other messages decoded from the same bytes (<see cref="SharedMessages{T}"/>).</summary>
    public static Action? TryDecodeAction(ReadOnlySpan<byte> bytes) => SharedMessages<Action>.Get(bytes, DecodeAction);

    public static MaskedAction? TryDecodeMaskedAction(ReadOnlySpan<byte> bytes) => TryDecode(bytes, new MaskedAction(), ReadMaskedActionField);

    private static Feature? DecodeFeature(ReadOnlySpan<byte> bytes) => TryDecode(bytes, new Feature(), ReadFeatureField);

    private static Action? DecodeAction(ReadOnlySpan<byte> bytes) => TryDecode(bytes, new Action(), ReadActionField);

    private static bool ReadFeatureField(ref WireReader reader, uint tag, ReadOnlySpan<byte> message, Feature feature)
    {
        string text;
        switch (tag)
        {
            case 10 when reader.TryReadSharedString(out text):
                feature.Namespace = text;
                return true;
            case 18 when reader.TryReadSharedString(out text):
                feature.Name = text;
                return true;
            case 25 when reader.TryReadDouble(out var number):
                feature.Number = number;
                return true;
            case 34 when reader.TryReadSharedString(out text):
                feature.Category = text;
                return true;
            default:
                return false;
        }
    }

    private static bool ReadActionField(ref WireReader reader, uint tag, ReadOnlySpan<byte> message, Action action)
    {
        switch (tag)
        {
            case 10 when reader.TryReadSharedString(out var id):
                action.Id = id;
                return true;
            case 18 when reader.TryReadBytes(out var field) && TryDecodeFeature(field) is { } feature:
                // Actions carry few features: an exact array, not the default of eight slots and growth.
                Presize(action.Features, message, 18);
                action.Features.Add(feature);
                return true;
            case 25 when reader.TryReadDouble(out var cost):
                action.Cost = cost;
                return true;
            default:
                return false;
        }
    }

    private static bool ReadMaskedActionField(ref WireReader reader, uint tag, ReadOnlySpan<byte> message, MaskedAction masked)
    {
        switch (tag)
        {
            case 10 when reader.TryReadSharedString(out var id):
                masked.ActionId = id;
                return true;
            case 18 when reader.TryReadSharedString(out var rule):
                masked.RuleIds.Add(rule);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Adds packed doubles; false when the bytes are not a whole number of them.</summary>
    public static bool TryAddPackedDoubles(ReadOnlySpan<byte> bytes, RepeatedField<double> values)
    {
        if (bytes.Length % sizeof(double) != 0)
        {
            return false;
        }

        if (values.Count == 0)
        {
            values.Capacity = bytes.Length / sizeof(double);
        }

        var reader = new WireReader(bytes);
        while (reader.TryReadDouble(out var value))
        {
            values.Add(value);
        }

        return true;
    }

    /// <summary>
    /// How many times a length-delimited field occurs at the top level of a message (at least 1, for sizing); stops
    /// at the first field it cannot step over, which the decoding itself then rejects.
    /// </summary>
    public static int CountFields(ReadOnlySpan<byte> message, uint lengthDelimitedTag)
    {
        var count = 0;
        var reader = new WireReader(message);
        while (!reader.End && reader.TryReadTag(out var tag))
        {
            if (!reader.TrySkip(tag))
            {
                break;
            }

            count += tag == lengthDelimitedTag ? 1 : 0;
        }

        return Math.Max(count, 1);
    }

    /// <summary>Gives a repeated field the capacity for the occurrences of its tag in the message.</summary>
    public static void Presize<T>(RepeatedField<T> field, ReadOnlySpan<byte> message, uint tag)
    {
        if (field.Count == 0)
        {
            field.Capacity = CountFields(message, tag);
        }
    }
}
