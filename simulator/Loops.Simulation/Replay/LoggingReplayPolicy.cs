using Loops.Evaluation;

namespace Loops.Simulation.Replay;

/// <summary>
/// The policy that wrote the log (<c>logging</c>): its distribution is the logged one, so its off-policy estimate is
/// the on-policy mean reward and serves as the baseline to beat. It needs the logger's full distribution.
/// </summary>
internal sealed class LoggingReplayPolicy(ulong seed) : IReplayPolicy
{
    public int Choose(LoggedEvent loggedEvent, int index)
    {
        var probabilities = Logged(loggedEvent);
        var u = World.CounterRandom.Uniform(seed, index, World.RandomStream.Strategy);
        for (var a = 0; a < probabilities.Count; a++)
        {
            u -= probabilities[a];
            if (u < 0)
            {
                return a;
            }
        }

        return probabilities.Count - 1;
    }

    public void Distribution(LoggedEvent loggedEvent, int index, Span<double> probabilities)
    {
        var logged = Logged(loggedEvent);
        for (var a = 0; a < probabilities.Length; a++)
        {
            probabilities[a] = logged[a];
        }
    }

    public void Learn(LoggedEvent loggedEvent, double probability)
    {
    }

    private static IReadOnlyList<double> Logged(LoggedEvent loggedEvent) =>
        loggedEvent.LoggingDistribution
        ?? throw new InvalidOperationException("The 'logging' policy needs every action's logged probability; this log has only the chosen one's.");
}
