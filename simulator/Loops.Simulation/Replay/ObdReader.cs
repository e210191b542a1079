using System.Globalization;
using CsvHelper;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Simulation.Replay;

/// <summary>
/// Reads the Open Bandit Dataset (ZOZO; CC BY 4.0) in its published layout: BEHAVIOR/CAMPAIGN/CAMPAIGN.csv and
/// BEHAVIOR/CAMPAIGN/item_context.csv. Context: the four user features (namespace "user") and the slot position;
/// actions: the items with their features (namespace "item"); reward: the click. For the uniform "random" logs
/// every item's probability is known (1 / number of items); for others only the chosen item's is.
/// </summary>
internal static class ObdReader
{
    public static IReadOnlyList<LoggedEvent> Read(string root, string behavior, string campaign, int limit = int.MaxValue)
    {
        var folder = Path.Combine(root, behavior, campaign);
        var actions = ReadItems(Path.Combine(folder, "item_context.csv"));
        var uniform = behavior == "random";
        var probabilities = uniform ? Enumerable.Repeat(1.0 / actions.Count, actions.Count).ToArray() : null;
        var events = new List<LoggedEvent>();
        using var reader = new StreamReader(Path.Combine(folder, campaign + ".csv"));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        while (events.Count < limit && csv.Read())
        {
            var context = new List<Feature>(5)
            {
                new() { Namespace = "user", Name = "position", Category = csv.GetField("position")! },
            };
            for (var f = 0; f < 4; f++)
            {
                context.Add(new Feature { Namespace = "user", Name = $"user_feature_{f}", Category = csv.GetField($"user_feature_{f}")! });
            }

            var item = int.Parse(csv.GetField("item_id")!, CultureInfo.InvariantCulture);
            events.Add(new LoggedEvent(
                context,
                actions,
                item,
                double.Parse(csv.GetField("propensity_score")!, CultureInfo.InvariantCulture),
                probabilities,
                double.Parse(csv.GetField("click")!, CultureInfo.InvariantCulture)));
        }

        return events;
    }

    private static List<Action> ReadItems(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var items = new SortedDictionary<int, Action>();
        while (csv.Read())
        {
            var id = int.Parse(csv.GetField("item_id")!, CultureInfo.InvariantCulture);
            var action = new Action { Id = id.ToString(CultureInfo.InvariantCulture) };
            action.Features.Add(new Feature { Namespace = "item", Name = "item_feature_0", Number = double.Parse(csv.GetField("item_feature_0")!, CultureInfo.InvariantCulture) });
            for (var f = 1; f <= 3; f++)
            {
                action.Features.Add(new Feature { Namespace = "item", Name = $"item_feature_{f}", Category = csv.GetField($"item_feature_{f}")! });
            }

            items[id] = action;
        }

        // Item ids are the indices of the log's item_id column.
        return [.. items.Values];
    }
}
