using Loops.Contracts.V1;

namespace Loops.Service.Observability.Timeline;

/// <summary>
/// Running sums of one group's decisions in a time bucket, as <c>PolicyReportBuilder</c> keeps them (Welford means
/// and squared deviations), but mergeable (Chan's formula) so that fine buckets can be added up into coarse ones.
/// </summary>
internal sealed class GroupStats
{
    private double _rewardMean;
    private double _rewardM2;
    private double _netMean;
    private double _netM2;

    public long Count { get; private set; }

    public double Spend { get; private set; }

    public double Revenue { get; private set; }

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

    public void Merge(GroupStats other)
    {
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

    public GroupReport ToReport() => new()
    {
        Decisions = Count,
        RewardMean = _rewardMean,
        RewardVariance = Count > 1 ? _rewardM2 / (Count - 1) : 0,
        Spend = Spend,
        Revenue = Revenue,
        NetValue = Revenue - Spend,
        NetValueMean = _netMean,
        NetValueVariance = Count > 1 ? _netM2 / (Count - 1) : 0,
    };
}
