namespace Loops.Simulation.Running;

/// <summary>
/// The metrics of one strategy on one seed, summed per bucket of consecutive steps: decisions, realised net value,
/// pseudo-regret (the oracle's expected net value minus the chosen action's), bonus spend, conversions, and per
/// persona how often the truly best action was chosen.
/// </summary>
internal sealed class RunMetrics
{
    public RunMetrics(int horizon, int bucketSize, int personaCount, int actionCount)
    {
        BucketSize = bucketSize;
        var buckets = (horizon + bucketSize - 1) / bucketSize;
        Decisions = new int[buckets];
        Net = new double[buckets];
        Regret = new double[buckets];
        Spend = new double[buckets];
        Conversions = new int[buckets];
        BestChosen = new int[buckets, personaCount];
        PersonaDecisions = new int[buckets, personaCount];
        ActionCounts = new long[actionCount];
    }

    public int BucketSize { get; }

    public int BucketCount => Decisions.Length;

    public int[] Decisions { get; }

    public double[] Net { get; }

    public double[] Regret { get; }

    public double[] Spend { get; }

    public int[] Conversions { get; }

    public int[,] BestChosen { get; }

    public int[,] PersonaDecisions { get; }

    public long[] ActionCounts { get; }

    public void Record(int step, int persona, int action, int bestAction, double regret, in World.Outcome outcome)
    {
        var bucket = step / BucketSize;
        Decisions[bucket]++;
        Net[bucket] += outcome.Net;
        Regret[bucket] += regret;
        Spend[bucket] += outcome.Cost;
        Conversions[bucket] += outcome.Converted ? 1 : 0;
        PersonaDecisions[bucket, persona]++;
        BestChosen[bucket, persona] += action == bestAction ? 1 : 0;
        ActionCounts[action]++;
    }

    public double TotalNet => Net.Sum();

    public double TotalRegret => Regret.Sum();

    public double TotalSpend => Spend.Sum();

    public long TotalDecisions => Decisions.Sum(d => (long)d);

    public long TotalConversions => Conversions.Sum(c => (long)c);

    public long TotalBestChosen
    {
        get
        {
            long total = 0;
            foreach (var count in BestChosen)
            {
                total += count;
            }

            return total;
        }
    }
}
