namespace Loops.Evaluation;

/// <summary>The reward model q̂ of the direct method and the doubly robust estimators.</summary>
public enum RewardModelKind
{
    /// <summary><see cref="ActionPositionMean"/> for OBD logs, <see cref="Linear"/> for Loops logs.</summary>
    Auto,

    /// <summary>The mean reward per (action, position), shrunk towards the overall mean (<see cref="ActionPositionMeanRewardModel"/>).</summary>
    ActionPositionMean,

    /// <summary>A <see cref="Loops.Core.LinearRewardModel"/> on the events' features (<see cref="LinearRewardModelFitter"/>).</summary>
    Linear,
}
