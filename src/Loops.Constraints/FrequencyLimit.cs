namespace Loops.Constraints;

/// <summary>A validated frequency cap: at most <see cref="MaxCount"/> decisions of an action (or any bonus) per user per rolling window.</summary>
/// <param name="RuleId">The name used in explanations and in ledger keys.</param>
/// <param name="ActionId">The action capped, or <see cref="ConstraintSet.AnyBonus"/>.</param>
/// <param name="MaxCount">The largest number of decisions in a window.</param>
/// <param name="Window">The rolling window.</param>
public sealed record FrequencyLimit(string RuleId, string ActionId, int MaxCount, TimeSpan Window);
