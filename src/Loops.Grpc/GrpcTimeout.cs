using System.Globalization;

namespace Loops.Grpc;

/// <summary>Parses and formats the <c>grpc-timeout</c> header: at most 8 digits and a unit (H M S m u n).</summary>
public static class GrpcTimeout
{
    /// <summary>Parses a header value; false when it is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out TimeSpan timeout)
    {
        timeout = default;
        if (value.Length is < 2 or > 9)
        {
            return false;
        }

        var digits = value[..^1];
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * 10,
            'n' => amount / 100,
            _ => null,
        };
        if (ticks is null)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>Formats a timeout with the finest unit whose amount fits in 8 digits.</summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = Math.Max(0, timeout.Ticks);
        const long maxAmount = 99_999_999;
        if (ticks / 10 <= maxAmount)
        {
            return (ticks / 10).ToString(CultureInfo.InvariantCulture) + "u";
        }

        if (ticks / TimeSpan.TicksPerMillisecond <= maxAmount)
        {
            return (ticks / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture) + "m";
        }

        if (ticks / TimeSpan.TicksPerSecond <= maxAmount)
        {
            return (ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture) + "S";
        }

        return Math.Min(maxAmount, ticks / TimeSpan.TicksPerHour).ToString(CultureInfo.InvariantCulture) + "H";
    }
}
