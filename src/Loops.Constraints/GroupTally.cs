using Loops.Contracts.V1;

namespace Loops.Constraints;

/// <summary>
/// Running sums of one group's decisions (Welford for the variances), mergeable (Chan's formula) so that fine time
/// buckets add up into coarse ones.
/// </summary>
public sealed class GroupTally
{
    private double _rewardMean;
    private double _rewardM2;
    private double _netMean;
    private double _netM2;

    /// <summary>The decisions counted.</summary>
    public long Count { get; private set; }

    /// <summary>The sum of the chosen actions' costs.</summary>
    public double Spend { get; private set; }

    /// <summary>The sum of the rewards.</summary>
    public double Revenue { get; private set; }

    /// <summary>The mean reward.</summary>
    public double RewardMean => _rewardMean;

    /// <summary>The mean of reward − cost.</summary>
    public double NetMean => _netMean;

    /// <summary>The sample variance of the reward.</summary>
    public double RewardVariance => Count > 1 ? _rewardM2 / (Count - 1) : 0;

    /// <summary>The sample variance of reward − cost.</summary>
    public double NetVariance => Count > 1 ? _netM2 / (Count - 1) : 0;

    /// <summary>Counts one decision.</summary>
    public void Add(double reward, double cost)
    {
        Count++;
        Spend += cost;
        Revenue += reward;
        var delta = reward - _rewardMean;
        _rewardMean += delta / Count;
        _rewardM2 += delta * (reward - _rewardMean);
        var net = reward - cost;
        var netDelta = net - _netMean;
        _netMean += netDelta / Count;
        _netM2 += netDelta * (net - _netMean);
    }

    /// <summary>Adds another tally's decisions to this one.</summary>
    public void Merge(GroupTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        var total = Count + other.Count;
        var share = (double)other.Count / total;
        var weight = (double)Count * other.Count / total;
        var rewardDelta = other._rewardMean - _rewardMean;
        _rewardM2 += other._rewardM2 + (rewardDelta * rewardDelta * weight);
        _rewardMean += rewardDelta * share;
        var netDelta = other._netMean - _netMean;
        _netM2 += other._netM2 + (netDelta * netDelta * weight);
        _netMean += netDelta * share;
        Count = total;
        Spend += other.Spend;
        Revenue += other.Revenue;
    }

    /// <summary>The tally as the API reports a group.</summary>
    public GroupReport ToReport() => new()
    {
        Decisions = Count,
        RewardMean = RewardMean,
        RewardVariance = RewardVariance,
        Spend = Spend,
        Revenue = Revenue,
        NetValue = Revenue - Spend,
        NetValueMean = NetMean,
        NetValueVariance = NetVariance,
    };
}
