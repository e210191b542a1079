using Loops.Simulation.Scenarios;

namespace Loops.Simulation.World;

/// <summary>Draws one feature's value for one persona from two uniforms; categorical values are category indices.</summary>
internal sealed class FeatureSampler
{
    private readonly string _kind;
    private readonly double _a;
    private readonly double _b;
    private readonly double[] _cumulative;

    public FeatureSampler(FeatureSpec feature, DistributionSpec distribution)
    {
        if (feature.Categories.Count > 0)
        {
            _kind = "categorical";
            var weights = feature.Categories.Select(c => distribution.Probabilities!.GetValueOrDefault(c)).ToArray();
            _cumulative = Cumulative(weights);
            return;
        }

        _cumulative = [];
        _kind = distribution.Distribution;
        (_a, _b) = _kind switch
        {
            "normal" => (distribution.Mean, distribution.Sd),
            "lognormal" => (Math.Log(distribution.Median), distribution.Sigma),
            "uniform" => (distribution.Min, distribution.Max - distribution.Min),
            _ => (distribution.Mean, 0),
        };
    }

    public bool NeedsNormal => _kind is "normal" or "lognormal";

    public double Draw(double uniform, double normal) => _kind switch
    {
        "categorical" => Pick(_cumulative, uniform),
        "normal" => _a + (_b * normal),
        "lognormal" => Math.Exp(_a + (_b * normal)),
        "uniform" => _a + (_b * uniform),
        _ => _a,
    };

    public static double[] Cumulative(IReadOnlyList<double> weights)
    {
        var total = weights.Sum();
        var cumulative = new double[weights.Count];
        var running = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            running += weights[i] / total;
            cumulative[i] = running;
        }

        return cumulative;
    }

    public static int Pick(double[] cumulative, double uniform)
    {
        for (var i = 0; i < cumulative.Length - 1; i++)
        {
            if (uniform < cumulative[i])
            {
                return i;
            }
        }

        return cumulative.Length - 1;
    }
}
