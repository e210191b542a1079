namespace Loops.Evaluation;

/// <summary>The policy being evaluated: its probability of each candidate action of a logged event.</summary>
public abstract class TargetPolicy
{
    /// <summary>What the policy is, for reports (for example "uniform" or a file name).</summary>
    public abstract string Description { get; }

    /// <summary>
    /// Writes the policy's probability of each action of the event (in the order of <see cref="LoggedEvent.Actions"/>).
    /// Returns false when only the logged action's probability is known (see <see cref="ProbabilityOfLoggedAction"/>);
    /// the model-based estimators then cannot run.
    /// </summary>
    /// <param name="loggedEvent">The event.</param>
    /// <param name="probabilities">Receives one probability per action.</param>
    /// <returns>Whether the full distribution was written.</returns>
    public abstract bool TryGetDistribution(LoggedEvent loggedEvent, Span<double> probabilities);

    /// <summary>The policy's probability of the logged action, for policies that do not know their full distribution.</summary>
    /// <param name="loggedEvent">The event.</param>
    /// <returns>π(a_i|x_i).</returns>
    /// <exception cref="NotSupportedException">The policy only answers through <see cref="TryGetDistribution"/>.</exception>
    public virtual double ProbabilityOfLoggedAction(LoggedEvent loggedEvent) =>
        throw new NotSupportedException($"{Description} gives full distributions only.");
}
