namespace Loops.Core;

/// <summary>
/// How a regression learner turns one logged bandit event (chosen action, reward, probability) into regression
/// targets, as Vowpal Wabbit's <c>--cb_type</c> defines them. Here r is the reward, p the logged probability of the
/// chosen action a, and ŷ(b) the model's prediction for action b before the update.
/// </summary>
public enum CbType
{
    /// <summary>
    /// Multi-task regression (the default): one update on the chosen action only, towards r, with importance weight
    /// 1/p. Cheapest: one update per event.
    /// </summary>
    Mtr = 0,

    /// <summary>
    /// Inverse propensity scoring: every action b is regressed (weight 1) towards the unbiased estimate
    /// r/p for b = a and 0 otherwise. One update per candidate action.
    /// </summary>
    Ips = 1,

    /// <summary>
    /// Doubly robust: every action b is regressed (weight 1) towards ŷ(b) + (r − ŷ(b))/p for b = a and ŷ(b)
    /// otherwise, so the current model is the baseline and only the chosen action's residual is importance-weighted.
    /// One update per candidate action.
    /// </summary>
    Dr = 2,
}
