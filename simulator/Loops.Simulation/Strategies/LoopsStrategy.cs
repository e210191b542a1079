using Loops.Contracts.V1;
using Loops.Core;
using Loops.Core.Policies;
using Loops.Evaluation;
using Loops.Simulation.Replay;
using Loops.Simulation.World;
using Loops.Training;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Simulation.Strategies;

/// <summary>
/// A Loops policy run in-process with the product's own code: the policy definition is validated as the service
/// validates it (<see cref="PolicyValidator"/>), and decisions and learning go through the same
/// <see cref="BanditPolicy"/>, feature hashing (<see cref="DecisionFeatures"/>) and seeded sampling as the service's
/// decision path and trainer. It learns on net value (revenue − bonus cost) when a decision's reward window closes,
/// as the service's trainer does after the join.
/// </summary>
/// <remarks>It serves the simulation (<see cref="IStrategy"/>) and the replay of logs (<see cref="IReplayPolicy"/>).</remarks>
internal sealed class LoopsStrategy : IStrategy, IReplayPolicy
{
    /// <summary>The algorithms the in-process adapter runs: every algorithm of the service.</summary>
    public static IReadOnlyList<string> Algorithms => BanditAlgorithms.All;

    private readonly ScenarioEnvironment? _environment;
    private readonly BanditPolicy _policy;
    private readonly ulong _seed;
    private readonly Feature[] _features;
    private readonly Action[] _actions;
    private double[] _scores = [];
    private double[] _probabilities = [];
    private bool[] _allowed = [];

    /// <summary>Creates the strategy for a simulated scenario, or for replay when <paramref name="environment"/> is null.</summary>
    public LoopsStrategy(Policy policy, ScenarioEnvironment? environment, ulong seed)
    {
        var settings = Validate(policy);
        _environment = environment;
        _policy = BanditPolicy.Create(settings.Model, settings.Exploration);
        _seed = seed;
        _features = environment?.NewFeatures() ?? [];
        _actions = environment?.NewActions() ?? [];
        EnsureCapacity(_actions.Length);
    }

    public bool LearnsFromContext => true;

    /// <summary>Checks that the adapter can run a policy, naming the field to fix.</summary>
    /// <exception cref="ArgumentException">The algorithm or a setting is not valid.</exception>
    public static PolicySettings Validate(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var named = policy.Clone();
        if (named.Name.Length == 0)
        {
            named.Name = "simulated";
        }

        try
        {
            return PolicyValidator.Validate(named);
        }
        catch (InvalidPolicyException exception)
        {
            throw new ArgumentException(exception.Message, nameof(policy), exception);
        }
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
        _policy.Learn(features, action, reward, probability);
    }

    public int Choose(LoggedEvent loggedEvent, int index)
    {
        EnsureCapacity(loggedEvent.Actions.Count);
        return Choose(loggedEvent.Context, loggedEvent.Actions, index, out _);
    }

    public void Distribution(LoggedEvent loggedEvent, int index, Span<double> probabilities)
    {
        // The same seed as Choose, so a randomised algorithm (bagging, thompson) reports the distribution it draws from.
        var seed = CounterRandom.Key(_seed, index, RandomStream.Strategy, 0);
        EnsureCapacity(loggedEvent.Actions.Count);
        var count = loggedEvent.Actions.Count;
        using var features = DecisionFeatures.Encode(loggedEvent.Context, loggedEvent.Actions);
        _policy.Decide(features, _allowed.AsSpan(0, count), seed, _scores.AsSpan(0, count), probabilities);
    }

    public void Learn(LoggedEvent loggedEvent, double probability)
    {
        using var features = DecisionFeatures.Encode(loggedEvent.Context, loggedEvent.Actions);
        _policy.Learn(features, loggedEvent.LoggedAction, loggedEvent.Reward, probability);
    }

    private int Choose(IReadOnlyList<Feature> context, IReadOnlyList<Action> actions, int step, out double probability)
    {
        var count = actions.Count;
        var seed = CounterRandom.Key(_seed, step, RandomStream.Strategy, 0);
        using (var features = DecisionFeatures.Encode(context, actions))
        {
            _policy.Decide(features, _allowed.AsSpan(0, count), seed, _scores.AsSpan(0, count), _probabilities.AsSpan(0, count));
        }

        var chosen = Sampling.Sample(_probabilities.AsSpan(0, count), seed);
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
}
