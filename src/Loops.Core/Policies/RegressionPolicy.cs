namespace Loops.Core.Policies;

/// <summary>
/// epsilon_greedy, softmax and squarecb: one <see cref="LinearRewardModel"/> predicts every action's reward and the
/// explorer turns the predictions into probabilities.
/// </summary>
internal sealed class RegressionPolicy(BanditModelSettings settings, ExplorationSettings exploration, LinearRewardModel model)
    : BanditPolicy(settings, exploration)
{
    public LinearRewardModel Model { get; } = model;

    public override long Updates => Model.Updates;

    public override long StateBytes => Model.StateBytes;

    private protected override void DecideCore(
        DecisionFeatures features, ReadOnlySpan<bool> allowed, ulong seed, ExplorationSettings settings, Span<double> scores, Span<double> probabilities)
    {
        Model.Predict(features, scores);
        double unit = RewardUnit(Model.RewardScale);
        switch (Algorithm)
        {
            case BanditAlgorithm.Softmax:
                Core.Exploration.Softmax(scores, allowed, settings.SoftmaxLambda / unit, probabilities);
                break;
            case BanditAlgorithm.SquareCb:
                double gamma = settings.SquareCbGamma * Math.Sqrt(Updates + 1.0) / unit;
                Core.Exploration.SquareCb(scores, allowed, gamma, probabilities);
                break;
            default:
                Core.Exploration.EpsilonGreedy(scores, allowed, settings.EpsilonAt(Updates), probabilities);
                break;
        }
    }

    private protected override double FloorEpsilon(ExplorationSettings settings) =>
        Algorithm == BanditAlgorithm.EpsilonGreedy ? 0 : base.FloorEpsilon(settings);

    private protected override double LearnCore(DecisionFeatures features, int chosen, double reward, double probability) =>
        Model.LearnEvent(features, chosen, reward, probability, weight: 1);

    private protected override BanditPolicy CloneCore() => new RegressionPolicy(Settings, Exploration, Model.Clone());

    // Scores are divided by the reward scale so exploration parameters are unit-free; 1 before any reward is seen.
    internal static double RewardUnit(double rewardScale) => rewardScale > 0 ? rewardScale : 1;
}
