using System.Buffers;

namespace Loops.Core.Policies;

/// <summary>
/// bagging: <see cref="BanditModelSettings.Bags"/> linear reward models, each trained on an online Poisson bootstrap
/// of the events (every event counts k ~ Poisson(1) times in each bag: its importance is multiplied by k). Each bag
/// votes for its best allowed action (a bag with tied best actions splits its vote), and an action's probability is
/// its share of the votes: exact, not sampled. The ε floor is mixed in afterwards. Scores are the bags' mean
/// prediction.
/// </summary>
/// <remarks>
/// The bootstrap counts are drawn from a seed made of the number of events learned and the bag's index, so the same
/// events learned in the same order give the same models.
/// </remarks>
internal sealed class BaggingPolicy : BanditPolicy
{
    private const ulong BootstrapSalt = 0xBA66_1A60_0000_0001UL;

    public BaggingPolicy(BanditModelSettings settings, ExplorationSettings exploration)
        : this(settings, exploration, CreateBags(settings))
    {
    }

    public BaggingPolicy(BanditModelSettings settings, ExplorationSettings exploration, LinearRewardModel[] bags)
        : base(settings, exploration)
    {
        Bags = bags;
    }

    public LinearRewardModel[] Bags { get; }

    public override long Updates => Bags[0].Updates;

    public override long StateBytes => Bags.Length * Bags[0].StateBytes;

    private protected override void DecideCore(
        DecisionFeatures features, ReadOnlySpan<bool> allowed, ulong seed, ExplorationSettings settings, Span<double> scores, Span<double> probabilities)
    {
        int count = scores.Length;
        double[] bagScores = ArrayPool<double>.Shared.Rent(count);
        double[] vote = ArrayPool<double>.Shared.Rent(count);
        try
        {
            scores.Clear();
            probabilities.Clear();
            double share = 1.0 / Bags.Length;
            foreach (var bag in Bags)
            {
                var own = bagScores.AsSpan(0, count);
                bag.Predict(features, own);
                Core.Exploration.Greedy(own, allowed, vote.AsSpan(0, count));
                for (int a = 0; a < count; a++)
                {
                    scores[a] += own[a] * share;
                    probabilities[a] += vote[a] * share;
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(bagScores);
            ArrayPool<double>.Shared.Return(vote);
        }
    }

    private protected override double LearnCore(DecisionFeatures features, int chosen, double reward, double probability)
    {
        ulong eventSeed = SeededRandom.Mix(BootstrapSalt, (ulong)Updates);
        double before = 0;
        for (int b = 0; b < Bags.Length; b++)
        {
            var random = new SeededRandom(SeededRandom.Mix(eventSeed, (ulong)b));
            int times = random.NextPoissonOne();
            before += times > 0
                ? Bags[b].LearnEvent(features, chosen, reward, probability, times)
                : Bags[b].SkipEvent(features, chosen);
        }

        return before / Bags.Length;
    }

    private protected override BanditPolicy CloneCore() =>
        new BaggingPolicy(Settings, Exploration, Array.ConvertAll(Bags, bag => bag.Clone()));

    private static LinearRewardModel[] CreateBags(BanditModelSettings settings)
    {
        var bags = new LinearRewardModel[settings.Bags];
        for (int b = 0; b < bags.Length; b++)
        {
            bags[b] = new LinearRewardModel(settings.Learner);
        }

        return bags;
    }
}
