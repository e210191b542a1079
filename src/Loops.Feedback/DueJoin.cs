using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>A decision whose window has closed, taken by the joiner to be joined.</summary>
internal readonly record struct DueJoin(DecisionEvent Decision, RewardTally Rewards);
