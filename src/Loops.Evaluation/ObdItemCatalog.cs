using System.Globalization;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Evaluation;

/// <summary>
/// The items of an Open Bandit Dataset campaign as Loops actions: id = item_id, and the <c>item_feature_*</c> columns of
/// <c>item_context.csv</c> as features in the namespace "item" (numeric when every value of the column is a number,
/// categorical otherwise).
/// </summary>
internal static class ObdItemCatalog
{
    public const string FileName = "item_context.csv";

    /// <summary>Reads <c>item_context.csv</c> beside the log when it exists; otherwise items 0..count-1 without features.</summary>
    public static async Task<Action[]> ReadAsync(string logDirectory, int itemsInLog, CancellationToken cancellationToken)
    {
        var path = Path.Combine(logDirectory, FileName);
        if (!File.Exists(path))
        {
            return Enumerable.Range(0, itemsInLog).Select(item => NewAction(item)).ToArray();
        }

        using var csv = CsvFiles.Open(path);
        var header = await CsvFiles.ReadHeaderAsync(csv, path).ConfigureAwait(false);
        int idColumn = CsvFiles.Column(header, "item_id", path, "An OBD item_context.csv has item_id and item_feature_* columns.");
        var featureColumns = Enumerable.Range(0, header.Length).Where(c => header[c].StartsWith("item_feature_", StringComparison.Ordinal)).ToArray();
        var rows = new List<(int Item, string?[] Values)>();
        while (await csv.ReadAsync().ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            int item = CsvFiles.Integer(csv, idColumn, "item_id", path);
            rows.Add((item, featureColumns.Select(c => csv.GetField(c)).ToArray()));
        }

        var numeric = featureColumns.Select((_, f) => rows.All(row => IsNumber(row.Values[f]))).ToArray();
        int count = Math.Max(itemsInLog, rows.Count == 0 ? 0 : rows.Max(r => r.Item) + 1);
        var actions = Enumerable.Range(0, count).Select(item => NewAction(item)).ToArray();
        foreach (var (item, values) in rows)
        {
            if (item < 0)
            {
                throw new EvaluationInputException($"{path}: item_id {item} is negative.");
            }

            for (int f = 0; f < featureColumns.Length; f++)
            {
                var feature = new Feature { Namespace = "item", Name = header[featureColumns[f]] };
                if (numeric[f])
                {
                    feature.Number = double.Parse(values[f]!, CultureInfo.InvariantCulture);
                }
                else
                {
                    feature.Category = values[f] ?? string.Empty;
                }

                actions[item].Features.Add(feature);
            }
        }

        return actions;
    }

    private static Action NewAction(int item) => new() { Id = item.ToString(CultureInfo.InvariantCulture) };

    private static bool IsNumber(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value);
}
