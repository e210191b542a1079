using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Benchmarks;

/// <summary>A realistic decision: 50 context features (half numeric, half categorical), 10 actions with 2 features each.</summary>
internal static class SyntheticDecision
{
    public const int ActionCount = 10;
    public const int ContextFeatureCount = 50;

    public static Feature[] Context(Random random) =>
        Enumerable.Range(0, ContextFeatureCount)
            .Select(i => i % 2 == 0
                ? new Feature { Namespace = i < 25 ? "user" : "device", Name = $"numeric-{i}", Number = random.NextDouble() * 100 }
                : new Feature { Namespace = i < 25 ? "user" : "device", Name = $"category-{i}", Category = $"value-{random.Next(20)}" })
            .ToArray();

    public static Action[] Actions()
    {
        var actions = new Action[ActionCount];
        for (int a = 0; a < ActionCount; a++)
        {
            actions[a] = new Action { Id = $"offer-{a}" };
            actions[a].Features.Add(new Feature { Namespace = "offer", Name = "amount", Number = 5 * (a + 1) });
            actions[a].Features.Add(new Feature { Namespace = "offer", Name = "kind", Category = a % 2 == 0 ? "coins" : "gems" });
        }

        return actions;
    }
}
