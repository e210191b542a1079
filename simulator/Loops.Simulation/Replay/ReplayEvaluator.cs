using Loops.Evaluation;
using Loops.Simulation.World;

namespace Loops.Simulation.Replay;

/// <summary>
/// The replay method of Li, Chu, Langford and Wang (WSDM 2011): walk the log in order; where the evaluated policy
/// chooses the logged action, count the reward and let the policy learn from it; elsewhere skip the event. It is
/// unbiased when the log's actions were chosen uniformly at random. A log whose full probabilities are known but
/// not uniform is first made uniform by rejection: an event is kept with probability min_a p(a) / p(chosen).
/// </summary>
internal static class ReplayEvaluator
{
    public static ReplayResult Evaluate(string name, IReadOnlyList<LoggedEvent> events, IReplayPolicy policy, ulong seed)
    {
        int accepted = 0, matched = 0;
        double sum = 0, sumOfSquares = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var logged = events[i];
            if (!Accept(logged, seed, i))
            {
                continue;
            }

            accepted++;
            if (policy.Choose(logged, i) != logged.LoggedAction)
            {
                continue;
            }

            matched++;
            sum += logged.Reward;
            sumOfSquares += logged.Reward * logged.Reward;
            policy.Learn(logged, 1.0 / logged.Actions.Count);
        }

        if (matched == 0)
        {
            return new ReplayResult(name, events.Count, accepted, 0, double.NaN, double.NaN, double.NaN);
        }

        var mean = sum / matched;
        var variance = matched > 1 ? Math.Max(0, (sumOfSquares - (matched * mean * mean)) / (matched - 1)) : 0;
        var half = 1.96 * Math.Sqrt(variance / matched);
        return new ReplayResult(name, events.Count, accepted, matched, mean, mean - half, mean + half);
    }

    private static bool Accept(LoggedEvent logged, ulong seed, int index)
    {
        var probabilities = logged.LoggingDistribution
            ?? throw new InvalidOperationException("The replay method needs uniform logs or every action's logged probability; this log has neither.");
        var smallest = double.MaxValue;
        foreach (var p in probabilities)
        {
            if (p > 0 && p < smallest)
            {
                smallest = p;
            }
        }

        var acceptance = smallest / probabilities[logged.LoggedAction];
        return acceptance >= 1 || CounterRandom.Uniform(seed, index, RandomStream.Delay) < acceptance;
    }
}
