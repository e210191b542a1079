using Loops.Contracts.V1;
using Loops.Core;
using Loops.Simulation.Replay;
using Loops.Simulation.World;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Simulation.Strategies;

/// <summary>
/// A Loops policy run in-process with the product's own learning code: the same feature hashing
/// (<see cref="DecisionFeatures"/>), reward model (<see cref="LinearRewardModel"/>), explorer and seeded sampling
/// as the service's decision path and trainer. It learns on net value (revenue − bonus cost) when a decision's
/// reward window closes, as the service's trainer does after the join.
/// </summary>
/// <remarks>
/// This is the only file that knows how a <see cref="Policy"/> becomes a learner and an explorer, so that a new
/// policy abstraction in Loops.Core replaces this adapter alone. It serves the simulation (<see cref="IStrategy"/>)
/// and the replay of logs (<see cref="IReplayPolicy"/>).
/// </remarks>
internal sealed class LoopsStrategy : IStrategy, IReplayPolicy
{
    /// <summary>The algorithms the in-process adapter runs today.</summary>
    public static readonly IReadOnlyList<string> Algorithms = ["epsilon_greedy"];

    private readonly ScenarioEnvironment? _environment;
    private readonly LinearRewardModel _model;
    private readonly double _epsilon;
    private readonly ulong _seed;
    private readonly Feature[] _features;
    private readonly Action[] _actions;
    private double[] _scores = [];
    private double[] _probabilities = [];
    private bool[] _allowed = [];

    /// <summary>Creates the strategy for a simulated scenario, or for replay when <paramref name="environment"/> is null.</summary>
    public LoopsStrategy(Policy policy, ScenarioEnvironment? environment, ulong seed)
    {
        Validate(policy);
        _environment = environment;
        _model = new LinearRewardModel(LearnerSettingsOf(policy.Learning));
        _epsilon = policy.Epsilon;
        _seed = seed;
        _features = environment?.NewFeatures() ?? [];
        _actions = environment?.NewActions() ?? [];
        EnsureCapacity(_actions.Length);
    }

    public bool LearnsFromContext => true;

    /// <summary>Checks that the adapter can run a policy, naming the field to fix.</summary>
    /// <exception cref="ArgumentException">The algorithm or a setting is not supported.</exception>
    public static void Validate(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var algorithm = policy.Algorithm.Length == 0 ? Algorithms[0] : policy.Algorithm;
        if (!Algorithms.Contains(algorithm))
        {
            throw new ArgumentException($"policy.algorithm '{policy.Algorithm}' is not supported in-process; use one of: {string.Join(", ", Algorithms)}.", nameof(policy));
        }

        if (!(policy.Epsilon is >= 0 and <= 1))
        {
            throw new ArgumentException($"policy.epsilon must be between 0 and 1, got {policy.Epsilon}.", nameof(policy));
        }

        LearnerSettingsOf(policy.Learning).Validate();
    }

    public int Choose(SimContext context, ReadOnlySpan<double> expectedNet, out double probability)
    {
        _environment!.WriteFeatures(context, _features);
        return Choose(_features, _actions, context.Step, out probability);
    }

    public void Learn(SimContext context, int action, double probability, double reward)
    {
        _environment!.WriteFeatures(context, _features);
        using var features = DecisionFeatures.Encode(_features, _actions);
        _model.Learn(features, action, reward, probability);
    }

    public int Choose(LoggedEvent loggedEvent, int index)
    {
        EnsureCapacity(loggedEvent.Actions.Count);
        return Choose(loggedEvent.Context, loggedEvent.Actions, index, out _);
    }

    public void Learn(LoggedEvent loggedEvent, double probability)
    {
        using var features = DecisionFeatures.Encode(loggedEvent.Context, loggedEvent.Actions);
        _model.Learn(features, loggedEvent.Chosen, loggedEvent.Reward, probability);
    }

    private int Choose(IReadOnlyList<Feature> context, IReadOnlyList<Action> actions, int step, out double probability)
    {
        var count = actions.Count;
        using (var features = DecisionFeatures.Encode(context, actions))
        {
            _model.Predict(features, _scores.AsSpan(0, count));
        }

        Exploration.EpsilonGreedy(_scores.AsSpan(0, count), _allowed.AsSpan(0, count), _epsilon, _probabilities.AsSpan(0, count));
        var chosen = Sampling.Sample(_probabilities.AsSpan(0, count), CounterRandom.Key(_seed, step, RandomStream.Strategy, 0));
        probability = _probabilities[chosen];
        return chosen;
    }

    private void EnsureCapacity(int actionCount)
    {
        if (_scores.Length < actionCount)
        {
            _scores = new double[actionCount];
            _probabilities = new double[actionCount];
            _allowed = new bool[actionCount];
            Array.Fill(_allowed, true);
        }
    }

    // The service's defaults for zero values (see PolicyValidator in Loops.Training).
    private static LearnerSettings LearnerSettingsOf(LearningSettings? learning)
    {
        var defaults = new LearnerSettings();
        return learning is null
            ? defaults
            : defaults with
            {
                LearningRate = learning.LearningRate == 0 ? defaults.LearningRate : learning.LearningRate,
                Bits = learning.Bits == 0 ? defaults.Bits : learning.Bits,
                MaxImportanceWeight = learning.MaxImportanceWeight == 0 ? defaults.MaxImportanceWeight : learning.MaxImportanceWeight,
                L2 = learning.L2,
                Interactions = !learning.DisableInteractions,
            };
    }
}
