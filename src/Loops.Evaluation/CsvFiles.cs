using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Loops.Evaluation;

/// <summary>Opening CSV files and reading their cells with errors that name the file, line and column.</summary>
internal static class CsvFiles
{
    public static CsvReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationInputException($"{path} does not exist.");
        }

        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = true, TrimOptions = TrimOptions.Trim };
        return new CsvReader(new StreamReader(path), configuration);
    }

    /// <summary>Reads the header and returns the index of each required column.</summary>
    public static async Task<string[]> ReadHeaderAsync(CsvReader csv, string path)
    {
        if (!await csv.ReadAsync().ConfigureAwait(false))
        {
            throw new EvaluationInputException($"{path} is empty; it needs a header row.");
        }

        csv.ReadHeader();
        return csv.HeaderRecord ?? [];
    }

    public static int Column(string[] header, string name, string path, string layout)
    {
        int index = Array.IndexOf(header, name);
        if (index < 0)
        {
            throw new EvaluationInputException(
                $"{path} has no column '{name}'. {layout} Its columns are: {string.Join(", ", header.Select(h => h.Length == 0 ? "(unnamed)" : h))}.");
        }

        return index;
    }

    public static double Number(CsvReader csv, int column, string name, string path)
    {
        var text = csv.GetField(column);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw Bad(csv, name, path, text, "a finite number");
        }

        return value;
    }

    public static int Integer(CsvReader csv, int column, string name, string path)
    {
        var text = csv.GetField(column);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            throw Bad(csv, name, path, text, "an integer");
        }

        return value;
    }

    public static EvaluationInputException Bad(CsvReader csv, string name, string path, string? text, string expected) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"{path}, line {csv.Parser.RawRow}: column '{name}' is '{text}', but must be {expected}."));
}
