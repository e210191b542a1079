namespace Loops.Service.Observability.Timeline;

/// <summary>Which bucket widths a timeline can be asked for, and the width picked when none is asked for.</summary>
internal static class BucketWidth
{
    public const long Second = 1_000;
    public const long Minute = 60 * Second;
    public const long Hour = 60 * Minute;

    /// <summary>How many buckets an automatic width aims at, at most.</summary>
    public const int TargetBuckets = 60;

    private static readonly long[] Candidates =
    [
        Second, 5 * Second, 10 * Second, 30 * Second, Minute, 5 * Minute, 10 * Minute, 30 * Minute,
        Hour, 3 * Hour, 6 * Hour, 12 * Hour, 24 * Hour, 7 * 24 * Hour,
    ];

    /// <summary>The smallest candidate width that splits <paramref name="spanMs"/> into at most <see cref="TargetBuckets"/> buckets.</summary>
    public static long Auto(long spanMs)
    {
        foreach (var width in Candidates)
        {
            if (spanMs / width < TargetBuckets)
            {
                return width;
            }
        }

        return Candidates[^1];
    }

    /// <summary>The resolution of the series a width is added up from: hours for whole hours, minutes for whole minutes, else seconds.</summary>
    public static long SeriesFor(long widthMs) => widthMs % Hour == 0 ? Hour : widthMs % Minute == 0 ? Minute : Second;
}
