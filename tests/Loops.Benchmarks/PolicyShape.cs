using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Benchmarks;

/// <summary>
/// The shape of the policy benchmarks, as in Vowpal Wabbit's reference figures: 10 actions, 40 context features
/// (half numeric, half categorical) and 11 features per action (plus its id).
/// </summary>
internal static class PolicyShape
{
    public const int ActionCount = 10;
    public const int ContextFeatureCount = 40;
    public const int ActionFeatureCount = 11;

    public static Feature[] Context(Random random) =>
        Enumerable.Range(0, ContextFeatureCount)
            .Select(i => i % 2 == 0
                ? new Feature { Namespace = i < 20 ? "user" : "device", Name = $"numeric-{i}", Number = random.NextDouble() * 100 }
                : new Feature { Namespace = i < 20 ? "user" : "device", Name = $"category-{i}", Category = $"value-{random.Next(20)}" })
            .ToArray();

    public static Action[] Actions(Random random)
    {
        var actions = new Action[ActionCount];
        for (int a = 0; a < ActionCount; a++)
        {
            actions[a] = new Action { Id = $"offer-{a}" };
            for (int f = 0; f < ActionFeatureCount; f++)
            {
                actions[a].Features.Add(f % 2 == 0
                    ? new Feature { Namespace = "offer", Name = $"numeric-{f}", Number = random.NextDouble() * 10 }
                    : new Feature { Namespace = "offer", Name = $"category-{f}", Category = $"kind-{(a + f) % 4}" });
            }
        }

        return actions;
    }
}
