namespace Loops.Evaluation.Tests;

/// <summary>A four-row log in the OBD layout over items 0..2 (no item_context.csv), for input-error tests.</summary>
internal static class TinyObdLog
{
    public const string Header = ",timestamp,item_id,position,click,propensity_score,user_feature_0";

    public static string Write(TemporaryDirectory directory, params string[] rows)
    {
        var path = directory.File("tiny.csv");
        string[] data = rows.Length > 0 ? rows :
        [
            "0,2019-11-24 00:00:00+00:00,0,1,1,0.5,aa",
            "1,2019-11-24 00:00:01+00:00,1,2,0,0.25,bb",
            "2,2019-11-24 00:00:02+00:00,2,1,0,0.25,aa",
            "3,2019-11-24 00:00:03+00:00,0,2,1,0.5,bb",
        ];
        File.WriteAllLines(path, [Header, .. data]);
        return path;
    }
}
