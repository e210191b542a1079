using StackExchange.Redis;

namespace Loops.Feedback.Redis;

/// <summary>A stream entry as Redis returns it: its id and its field-value pairs.</summary>
internal readonly record struct StreamEntry(RedisValue Id, RedisResult[] Fields)
{
    /// <summary>The value of a field, or null when the entry has no such field.</summary>
    public RedisValue this[string field]
    {
        get
        {
            for (var i = 0; i + 1 < Fields.Length; i += 2)
            {
                if ((string?)Fields[i] == field)
                {
                    return (RedisValue)Fields[i + 1];
                }
            }

            return RedisValue.Null;
        }
    }

    /// <summary>The ms part of the id; the joined stream numbers its entries that way.</summary>
    public long IdMilliseconds
    {
        get
        {
            var id = (string)Id!;
            var dash = id.IndexOf('-', StringComparison.Ordinal);
            return long.Parse(dash < 0 ? id : id[..dash], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Reads the entries of an <c>[id, [field, value, ...]]</c> array; entries deleted meanwhile are skipped.</summary>
    public static List<StreamEntry> ParseList(RedisResult result)
    {
        var entries = new List<StreamEntry>();
        if (result.IsNull)
        {
            return entries;
        }

        foreach (var item in (RedisResult[])result!)
        {
            var pair = (RedisResult[])item!;
            if (pair.Length == 2 && !pair[1].IsNull)
            {
                entries.Add(new StreamEntry((RedisValue)pair[0], (RedisResult[])pair[1]!));
            }
        }

        return entries;
    }
}
