namespace Loops.Core.Policies;

/// <summary>
/// Progressive validation counters of a policy, like Vowpal Wabbit's progressive loss: before the policy learns from
/// an event, its prediction for the chosen action is compared with the reward. Every event is thus scored by a model
/// that had not seen it, so the figures are honest out-of-sample estimates without a held-out set.
/// </summary>
/// <param name="Events">The events learned from.</param>
/// <param name="SumOfSquaredErrors">Σ (prediction for the chosen action before learning − reward)².</param>
/// <param name="SumOfRewards">
/// Σ reward. Divided by <paramref name="Events"/> it is the IPS estimate of the policy's own value on its own
/// traffic (the logging and evaluated policies coincide, so every importance weight is 1).
/// </param>
public readonly record struct ProgressiveValidation(long Events, double SumOfSquaredErrors, double SumOfRewards)
{
    /// <summary>The mean squared error of the predictions before learning (the progressive loss); 0 before any event.</summary>
    public double MeanSquaredError => Events == 0 ? 0 : SumOfSquaredErrors / Events;

    /// <summary>The mean reward of the events learned from (the progressive reward); 0 before any event.</summary>
    public double MeanReward => Events == 0 ? 0 : SumOfRewards / Events;
}
