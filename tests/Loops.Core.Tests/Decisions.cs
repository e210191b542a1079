using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Core.Tests;

/// <summary>Builders for the messages the tests feed the learner.</summary>
internal static class Decisions
{
    public static Feature Number(string featureNamespace, string name, double value) =>
        new() { Namespace = featureNamespace, Name = name, Number = value };

    public static Feature Category(string featureNamespace, string name, string category) =>
        new() { Namespace = featureNamespace, Name = name, Category = category };

    public static Action Action(string id, params Feature[] features)
    {
        var action = new Action { Id = id };
        action.Features.Add(features);
        return action;
    }

    public static Action[] Actions(int count) =>
        Enumerable.Range(0, count).Select(i => Action($"action-{i}")).ToArray();

    /// <summary>A realistic decision: 50 context features (numeric and categorical), 10 actions with 2 features each.</summary>
    public static (Feature[] Context, Action[] Actions) Large(Random random)
    {
        var context = Enumerable.Range(0, 50)
            .Select(i => i % 2 == 0
                ? Number(i < 25 ? "user" : "device", $"n{i}", random.NextDouble() * 100)
                : Category(i < 25 ? "user" : "device", $"c{i}", $"v{random.Next(10)}"))
            .ToArray();
        var actions = Enumerable.Range(0, 10)
            .Select(a => Action($"offer-{a}", Number("offer", "amount", 5 * (a + 1)), Category("offer", "kind", a % 2 == 0 ? "coins" : "gems")))
            .ToArray();
        return (context, actions);
    }
}
