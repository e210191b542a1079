using Loops.Evaluation;

namespace Loops.Simulation.Replay;

/// <summary>Always the same action (by index); with <see cref="Uniform"/>, every action equally likely.</summary>
internal sealed class FixedReplayPolicy(int action, ulong seed) : IReplayPolicy
{
    /// <summary>The action index that stands for "uniformly at random".</summary>
    public const int Uniform = -1;

    public int Choose(LoggedEvent loggedEvent, int index)
    {
        if (action != Uniform)
        {
            return action;
        }

        var u = World.CounterRandom.Uniform(seed, index, World.RandomStream.Strategy);
        return Math.Min(loggedEvent.Actions.Count - 1, (int)(u * loggedEvent.Actions.Count));
    }

    public void Distribution(LoggedEvent loggedEvent, int index, Span<double> probabilities)
    {
        if (action == Uniform)
        {
            probabilities.Fill(1.0 / probabilities.Length);
            return;
        }

        probabilities.Clear();
        probabilities[action] = 1;
    }

    public void Learn(LoggedEvent loggedEvent, double probability)
    {
    }
}
