using Loops.Contracts.V1;

namespace Loops.Constraints;

/// <summary>
/// Builds a policy's economics report from its joined decisions: the cost of a decision is its chosen action's
/// cost, its revenue its reward. Uplift is the difference of group means with a 95% Welch (normal) interval.
/// </summary>
public sealed class PolicyReportBuilder(string policy)
{
    private const double Z95 = 1.959963984540054;

    private readonly GroupTally _treatment = new();
    private readonly GroupTally _control = new();

    /// <summary>Adds one joined decision of the policy.</summary>
    public void Add(JoinedEvent joined)
    {
        ArgumentNullException.ThrowIfNull(joined);
        var decision = joined.Decision;
        var chosen = decision.ChosenIndex;
        var cost = chosen >= 0 && chosen < decision.Actions.Count ? decision.Actions[chosen].Cost : 0;
        (decision.Control ? _control : _treatment).Add(joined.Reward, cost);
    }

    /// <summary>The report of what was added.</summary>
    public PolicyReport Build()
    {
        var report = new PolicyReport
        {
            Policy = policy,
            Treatment = _treatment.ToReport(),
            Control = _control.ToReport(),
            RewardUplift = Uplift(_treatment.RewardMean, _treatment.RewardVariance, _control.RewardMean, _control.RewardVariance),
            NetValueUplift = Uplift(_treatment.NetMean, _treatment.NetVariance, _control.NetMean, _control.NetVariance),
            Roi = _treatment.Spend > 0 ? (_treatment.Revenue - _treatment.Spend) / _treatment.Spend : 0,
        };
        if (_control.Count > 0 && _treatment.Count > 0)
        {
            report.CostSaved = ((_control.Spend / _control.Count) - (_treatment.Spend / _treatment.Count)) * _treatment.Count;
        }

        return report;
    }

    private Uplift Uplift(double treatedMean, double treatedVariance, double controlMean, double controlVariance)
    {
        if (_treatment.Count == 0 || _control.Count == 0)
        {
            return new Uplift();
        }

        var estimate = treatedMean - controlMean;
        var error = Math.Sqrt((treatedVariance / _treatment.Count) + (controlVariance / _control.Count));
        return new Uplift { Estimate = estimate, Lower = estimate - (Z95 * error), Upper = estimate + (Z95 * error) };
    }
}
