using Loops.Contracts.V1;

namespace Loops.Evaluation;

/// <summary>
/// Reads logs in the Open Bandit Dataset CSV layout (<c>{policy}/{campaign}/{campaign}.csv</c>): one row per
/// impression with <c>item_id</c> (the action), <c>position</c> (slot 1..3), <c>click</c> (the reward) and
/// <c>propensity_score</c> (the logger's probability of that item at that position).
/// </summary>
/// <remarks>
/// Each row is one decision. Its action set is every item of the campaign (from <c>item_context.csv</c> beside the
/// log, else 0..max item_id), its context the <c>user_feature_*</c> columns (categories in the namespace "user") and
/// the position (category "slot:position"). The <c>user-item_affinity_*</c> columns are not read. The logger's full
/// distribution is not in the file, so <see cref="LoggedEvent.LoggingDistribution"/> is null.
/// </remarks>
public static class ObdLogReader
{
    private const string Layout = "The OBD layout needs the columns item_id, position, click and propensity_score.";

    /// <summary>Reads an OBD log: a CSV file, or a campaign folder holding exactly one log CSV besides item_context.csv.</summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The events, in file order.</returns>
    /// <exception cref="EvaluationInputException">The path or its content is not an OBD log.</exception>
    public static async Task<LoggedData> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var file = ResolveFile(path);
        var rows = await ReadRowsAsync(file, cancellationToken).ConfigureAwait(false);
        int itemsInLog = rows.Count == 0 ? 0 : rows.Max(r => r.Item) + 1;
        var actions = await ObdItemCatalog.ReadAsync(Path.GetDirectoryName(file)!, itemsInLog, cancellationToken).ConfigureAwait(false);
        var events = new LoggedEvent[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Item >= actions.Length)
            {
                throw new EvaluationInputException($"{file}: item_id {row.Item} (data row {i}) is not in {ObdItemCatalog.FileName}.");
            }

            events[i] = new LoggedEvent
            {
                Round = i,
                Position = row.Position,
                Context = row.Context,
                Actions = actions,
                LoggedAction = row.Item,
                LoggingProbability = row.Propensity,
                Reward = row.Click,
            };
        }

        return new LoggedData(file, LogFormat.Obd, events);
    }

    /// <summary>The log file a path names: the file itself, or the only log CSV in a folder.</summary>
    internal static string ResolveFile(string path)
    {
        if (File.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        if (!Directory.Exists(path))
        {
            throw new EvaluationInputException($"{path} does not exist; give an OBD log CSV or its campaign folder.");
        }

        var logs = Directory.EnumerateFiles(path, "*.csv")
            .Where(f => !string.Equals(Path.GetFileName(f), ObdItemCatalog.FileName, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        return logs.Count switch
        {
            1 => Path.GetFullPath(logs[0]),
            0 => throw new EvaluationInputException($"{path} holds no log CSV (only {ObdItemCatalog.FileName} or nothing); give the log file itself."),
            _ => throw new EvaluationInputException($"{path} holds several CSV files ({string.Join(", ", logs.Select(Path.GetFileName))}); give one of them."),
        };
    }

    private static async Task<List<ObdRow>> ReadRowsAsync(string file, CancellationToken cancellationToken)
    {
        using var csv = CsvFiles.Open(file);
        var header = await CsvFiles.ReadHeaderAsync(csv, file).ConfigureAwait(false);
        int item = CsvFiles.Column(header, "item_id", file, Layout);
        int position = CsvFiles.Column(header, "position", file, Layout);
        int click = CsvFiles.Column(header, "click", file, Layout);
        int propensity = CsvFiles.Column(header, "propensity_score", file, Layout);
        var userColumns = Enumerable.Range(0, header.Length).Where(c => header[c].StartsWith("user_feature_", StringComparison.Ordinal)).ToArray();

        // Feature objects are immutable once built and repeat a lot, so equal ones are shared.
        var features = new Dictionary<(int Column, string Value), Feature>();
        var rows = new List<ObdRow>();
        while (await csv.ReadAsync().ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = new ObdRow(
                CsvFiles.Integer(csv, item, "item_id", file),
                CsvFiles.Integer(csv, position, "position", file),
                CsvFiles.Number(csv, click, "click", file),
                CsvFiles.Number(csv, propensity, "propensity_score", file),
                new Feature[userColumns.Length + 1]);
            if (row.Item < 0)
            {
                throw CsvFiles.Bad(csv, "item_id", file, csv.GetField(item), "a non-negative item id");
            }

            if (!(row.Propensity > 0 && row.Propensity <= 1))
            {
                throw CsvFiles.Bad(csv, "propensity_score", file, csv.GetField(propensity), "a probability in (0, 1]");
            }

            for (int u = 0; u < userColumns.Length; u++)
            {
                var value = csv.GetField(userColumns[u]) ?? string.Empty;
                row.Context[u] = Shared(features, userColumns[u], value, () => new Feature { Namespace = "user", Name = header[userColumns[u]], Category = value });
            }

            var slot = csv.GetField(position)!;
            row.Context[^1] = Shared(features, position, slot, () => new Feature { Namespace = "slot", Name = "position", Category = slot });
            rows.Add(row);
        }

        return rows;
    }

    private static Feature Shared(Dictionary<(int, string), Feature> features, int column, string value, Func<Feature> create)
    {
        if (!features.TryGetValue((column, value), out var feature))
        {
            feature = create();
            features[(column, value)] = feature;
        }

        return feature;
    }

    private readonly record struct ObdRow(int Item, int Position, double Click, double Propensity, Feature[] Context);
}
