using Loops.Contracts.V1;

namespace Loops.Constraints;

/// <summary>Running sums of one group's decisions (Welford for the variances).</summary>
internal sealed class GroupTally
{
    private double _rewardMean;
    private double _rewardM2;
    private double _netMean;
    private double _netM2;

    public long Count { get; private set; }

    public double Spend { get; private set; }

    public double Revenue { get; private set; }

    public double RewardMean => _rewardMean;

    public double NetMean => _netMean;

    public double RewardVariance => Count > 1 ? _rewardM2 / (Count - 1) : 0;

    public double NetVariance => Count > 1 ? _netM2 / (Count - 1) : 0;

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
