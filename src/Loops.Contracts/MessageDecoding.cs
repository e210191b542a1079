using Google.Protobuf.Collections;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Contracts;

/// <summary>
/// Decodes the messages that requests and logged events share (features, actions, masked actions) with shared
/// strings. Each returns null for anything it does not decode exactly as the generated parser would (unknown fields,
/// other wire types, invalid UTF-8, truncated bytes), so the caller can fall back to that parser.
/// </summary>
internal static class MessageDecoding
{
    public static Feature? TryDecodeFeature(ReadOnlySpan<byte> bytes)
    {
        var feature = new Feature();
        var reader = new WireReader(bytes);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return null;
            }

            switch (tag)
            {
                case 10 when reader.TryReadSharedString(out var featureNamespace):
                    feature.Namespace = featureNamespace;
                    break;
                case 18 when reader.TryReadSharedString(out var name):
                    feature.Name = name;
                    break;
                case 25 when reader.TryReadDouble(out var number):
                    feature.Number = number;
                    break;
                case 34 when reader.TryReadSharedString(out var category):
                    feature.Category = category;
                    break;
                default:
                    return null;
            }
        }

        return feature;
    }

    public static Action? TryDecodeAction(ReadOnlySpan<byte> bytes)
    {
        var action = new Action();
        var reader = new WireReader(bytes);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return null;
            }

            switch (tag)
            {
                case 10 when reader.TryReadSharedString(out var id):
                    action.Id = id;
                    break;
                case 18 when reader.TryReadBytes(out var field) && TryDecodeFeature(field) is { } feature:
                    if (action.Features.Count == 0)
                    {
                        // Actions carry few features: an exact array, not the default of eight slots and growth.
                        action.Features.Capacity = CountFields(bytes, 18);
                    }

                    action.Features.Add(feature);
                    break;
                case 25 when reader.TryReadDouble(out var cost):
                    action.Cost = cost;
                    break;
                default:
                    return null;
            }
        }

        return action;
    }

    public static MaskedAction? TryDecodeMaskedAction(ReadOnlySpan<byte> bytes)
    {
        var masked = new MaskedAction();
        var reader = new WireReader(bytes);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return null;
            }

            switch (tag)
            {
                case 10 when reader.TryReadSharedString(out var id):
                    masked.ActionId = id;
                    break;
                case 18 when reader.TryReadSharedString(out var rule):
                    masked.RuleIds.Add(rule);
                    break;
                default:
                    return null;
            }
        }

        return masked;
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
