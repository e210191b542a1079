using Loops.Simulation.Scenarios;
using Loops.Simulation.World;
using MathNet.Numerics.Distributions;

namespace Loops.Simulation.Strategies;

/// <summary>
/// A/B test then commit, as <see cref="AbTestSpec"/> describes: an even random split until the leader beats every
/// other arm at a Bonferroni-corrected level at one of the planned looks (or the last look passes), then the leader
/// for everyone. Only outcomes whose reward window has closed count, as in a real analysis.
/// </summary>
internal sealed class AbTestStrategy : IStrategy
{
    private readonly int _actionCount;
    private readonly ulong _seed;
    private readonly double _criticalZ;
    private readonly int _lookEvery;
    private readonly int _lastLook;
    private readonly long[] _count;
    private readonly double[] _sum;
    private readonly double[] _sumOfSquares;
    private int _nextLook;

    public AbTestStrategy(AbTestSpec spec, int actionCount, int maxTestSteps, ulong seed)
    {
        _actionCount = actionCount;
        _seed = seed;
        var level = spec.Alpha / (spec.Looks * (actionCount - 1));
        _criticalZ = Normal.InvCDF(0, 1, 1 - (level / 2));
        _lookEvery = Math.Max(1, maxTestSteps / spec.Looks);
        _lastLook = _lookEvery * spec.Looks;
        _nextLook = _lookEvery;
        _count = new long[actionCount];
        _sum = new double[actionCount];
        _sumOfSquares = new double[actionCount];
    }

    /// <summary>The committed action, or -1 while testing.</summary>
    public int Winner { get; private set; } = -1;

    /// <summary>The step at which the test stopped, or -1 while testing.</summary>
    public int StoppedAtStep { get; private set; } = -1;

    /// <summary>Whether the test stopped on a significant result rather than at its longest length.</summary>
    public bool Significant { get; private set; }

    public bool LearnsFromContext => false;

    public int Choose(SimContext context, ReadOnlySpan<double> expectedNet, out double probability)
    {
        if (Winner < 0 && context.Step >= _nextLook)
        {
            Look(context.Step);
        }

        if (Winner >= 0)
        {
            probability = 1;
            return Winner;
        }

        probability = 1.0 / _actionCount;
        return Math.Min(_actionCount - 1, (int)(CounterRandom.Uniform(_seed, context.Step, RandomStream.Strategy) * _actionCount));
    }

    public void Learn(SimContext context, int action, double probability, double reward)
    {
        if (Winner >= 0)
        {
            return;
        }

        _count[action]++;
        _sum[action] += reward;
        _sumOfSquares[action] += reward * reward;
    }

    private void Look(int step)
    {
        _nextLook += _lookEvery;
        var leader = Leader();
        var beatsAll = leader >= 0;
        for (var a = 0; a < _actionCount && beatsAll; a++)
        {
            if (a != leader)
            {
                beatsAll = ZScore(leader, a) > _criticalZ;
            }
        }

        if (beatsAll || step >= _lastLook)
        {
            Significant = beatsAll;
            Winner = leader >= 0 ? leader : 0;
            StoppedAtStep = step;
        }
    }

    private int Leader()
    {
        var leader = -1;
        for (var a = 0; a < _actionCount; a++)
        {
            if (_count[a] >= 2 && (leader < 0 || Mean(a) > Mean(leader)))
            {
                leader = a;
            }
        }

        return leader;
    }

    private double Mean(int arm) => _sum[arm] / _count[arm];

    private double Variance(int arm) =>
        _count[arm] < 2 ? double.PositiveInfinity : Math.Max(0, (_sumOfSquares[arm] - (_count[arm] * Mean(arm) * Mean(arm))) / (_count[arm] - 1));

    private double ZScore(int leader, int other)
    {
        if (_count[other] < 2)
        {
            return 0;
        }

        var standardError = Math.Sqrt((Variance(leader) / _count[leader]) + (Variance(other) / _count[other]));
        var difference = Mean(leader) - Mean(other);
        return standardError > 0 ? difference / standardError : (difference > 0 ? double.PositiveInfinity : 0);
    }
}
