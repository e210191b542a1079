using Loops.Evaluation;
using Loops.Simulation.Strategies;

namespace Loops.Simulation.Replay;

/// <summary>
/// The policies <c>replay</c> evaluates: <c>uniform</c>, <c>logging</c> (the logger itself), <c>best-logged</c> (the action with the highest mean logged
/// reward, in hindsight), <c>action:ID</c>, and Loops policies written as for <c>run</c> (<c>loops:epsilon_greedy:0.05</c>).
/// </summary>
internal static class ReplayPolicies
{
    public static IReplayPolicy Create(string name, IReadOnlyList<LoggedEvent> events, ulong seed)
    {
        if (name == "uniform")
        {
            return new FixedReplayPolicy(FixedReplayPolicy.Uniform, seed);
        }

        if (name == "logging")
        {
            return new LoggingReplayPolicy(seed);
        }

        if (name == "best-logged")
        {
            return new FixedReplayPolicy(BestLogged(events), seed);
        }

        if (name.StartsWith("action:", StringComparison.Ordinal))
        {
            var id = name["action:".Length..];
            var index = events.Count == 0 ? -1 : events[0].Actions.ToList().FindIndex(a => a.Id == id);
            return index >= 0 ? new FixedReplayPolicy(index, seed) : throw new FormatException($"Replay policy '{name}': no action '{id}' in the log.");
        }

        var spec = StrategySpec.Parse(name);
        return spec.Kind == StrategyKind.Loops
            ? new LoopsStrategy(spec.Policy!, null, seed)
            : throw new FormatException($"Replay policy '{name}': use uniform, logging, best-logged, action:ID or loops:ALGORITHM[:EPSILON[:LEARNING_RATE]].");
    }

    private static int BestLogged(IReadOnlyList<LoggedEvent> events)
    {
        var sums = new Dictionary<int, (double Sum, int Count)>();
        foreach (var logged in events)
        {
            var (sum, count) = sums.GetValueOrDefault(logged.LoggedAction);
            sums[logged.LoggedAction] = (sum + logged.Reward, count + 1);
        }

        return sums.OrderByDescending(p => p.Value.Sum / p.Value.Count).ThenBy(p => p.Key).First().Key;
    }
}
