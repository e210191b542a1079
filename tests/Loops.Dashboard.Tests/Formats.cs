using System.Globalization;
using Loops.Contracts.V1;

namespace Loops.Dashboard.Tests;

/// <summary>The dashboard's number formats (common.js), to compare the API's numbers with the page's text.</summary>
internal static class Formats
{
    public static string Num(double value, int digits = 2) => value.ToString("N" + digits, CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Interval(Uplift uplift) => $"{Num(uplift.Estimate)} [{Num(uplift.Lower)}, {Num(uplift.Upper)}]";

    public static string Percent(double share) => $"{Num(share * 100, 1)} %";
}
