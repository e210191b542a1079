using Loops.Contracts.V1;

namespace Loops.Feedback.Redis;

/// <summary>A record kept in the spool: a decision with the response it was answered with, or a reward.</summary>
internal readonly record struct SpoolRecord(DecisionEvent? Decision, DecideResponse? Response, RewardEvent? Reward)
{
    public static SpoolRecord ForDecision(DecisionEvent decision, DecideResponse response) => new(decision, response, null);

    public static SpoolRecord ForReward(RewardEvent reward) => new(null, null, reward);
}
