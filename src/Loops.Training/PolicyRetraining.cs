using Loops.Contracts.V1;
using Loops.Core;
using Loops.Core.Evaluation;
using Loops.Core.Policies;

namespace Loops.Training;

/// <summary>
/// One policy's champion/challenger loop, driven by the trainer's thread: challengers learn from the same joined
/// events as the live model (the champion), except the last <see cref="RetrainingPlan.WindowEvents"/> before each
/// evaluation, which are held out; the candidates (a frozen copy of the champion from the window's start, the
/// challengers and a uniform baseline) are estimated on them with doubly robust off-policy evaluation. Also keeps the
/// on-policy rewards of the live and the previous model for automatic rollback.
/// </summary>
internal sealed class PolicyRetraining
{
    private static readonly DoublyRobust Estimator = new();
    private readonly List<(string Name, PolicySettings Settings, BanditPolicy Model)> _challengers = [];
    private readonly List<HeldOutEvent> _window = [];
    private PolicySettings? _settings;
    private BanditPolicy? _frozenChampion;
    private int _sinceEvaluation;
    private long _lastEvaluationMs;
    private long _liveSince = -1;
    private RewardWindow _live = new(500);
    private RewardWindow _previous = new(500);

    /// <summary>Whether the held-out window is full and an evaluation is due.</summary>
    public bool Due => _settings is { } s && _window.Count >= s.Retraining.WindowEvents;

    /// <summary>The events held out for the next evaluation.</summary>
    public IReadOnlyList<HeldOutEvent> Window => _window;

    /// <summary>The challengers, as they stand.</summary>
    public IReadOnlyList<(string Name, PolicySettings Settings, BanditPolicy Model)> Challengers => _challengers;

    /// <summary>The champion as it was when the window started (it has not learned the window).</summary>
    public BanditPolicy? FrozenChampion => _frozenChampion;

    /// <summary>The live model's on-policy rewards since its swap.</summary>
    public RewardWindow LiveRewards => _live;

    /// <summary>The previous live model's on-policy rewards.</summary>
    public RewardWindow PreviousRewards => _previous;

    /// <summary>
    /// Takes one joined event before the champion learns it: follows setting changes, files the reward on-policy,
    /// and either holds the event out or lets the challengers learn it.
    /// </summary>
    public void Observe(PolicyState state, DecisionEvent decision, double reward, DecisionFeatures features, long nowMs)
    {
        Follow(state.Settings);
        var plan = state.Settings.Retraining;
        TrackOnPolicy(state, decision, reward, plan.WindowEvents);
        _sinceEvaluation++;
        if (_lastEvaluationMs == 0)
        {
            _lastEvaluationMs = nowMs;
        }

        var timeDue = plan.EvaluateEvery > TimeSpan.Zero && nowMs - _lastEvaluationMs >= plan.EvaluateEvery.TotalMilliseconds;
        if (_sinceEvaluation > plan.EvaluateEveryEvents - plan.WindowEvents || timeDue || _window.Count > 0)
        {
            if (_window.Count == 0)
            {
                // The champion learns every event at once (it is live); its copy from here on has not seen the window.
                _frozenChampion = state.Policy.Clone();
            }

            _window.Add(new HeldOutEvent(decision, reward));
            return;
        }

        LearnChallengers(decision, reward, features);
    }

    /// <summary>After an evaluation: the challengers learn the window, and a new one starts.</summary>
    public void Evaluated(long nowMs)
    {
        foreach (var held in _window)
        {
            using var features = DecisionFeatures.Encode(held.Decision.Context, held.Decision.Actions);
            LearnChallengers(held.Decision, held.Reward, features);
        }

        _window.Clear();
        _frozenChampion = null;
        _sinceEvaluation = 0;
        _lastEvaluationMs = nowMs;
    }

    /// <summary>Estimates a candidate's value on the window with DR, its own predictions as the reward model.</summary>
    /// <param name="candidate">The candidate; null for the baseline (whose reward model is <paramref name="rewardModel"/>).</param>
    /// <param name="rewardModel">The reward model of the baseline.</param>
    /// <param name="salt">The policy's sampling salt (the candidates draw as the live model would).</param>
    /// <param name="confidence">The confidence level.</param>
    /// <param name="baselineActionId">The baseline's action, taken whenever allowed; null (or not allowed) for uniform.</param>
    public OffPolicyEstimate Estimate(BanditPolicy? candidate, BanditPolicy rewardModel, ulong salt, double confidence, string? baselineActionId = null)
    {
        var samples = new EvaluationSample[_window.Count];
        for (var i = 0; i < _window.Count; i++)
        {
            var decision = _window[i].Decision;
            var count = decision.Actions.Count;
            var logged = decision.Probabilities.ToArray();
            var allowed = new bool[count];
            var scores = new double[count];
            var target = new double[count];
            for (var a = 0; a < count; a++)
            {
                // Actions the constraints masked at decision time stay masked for every candidate.
                allowed[a] = logged[a] > 0;
            }

            using var features = DecisionFeatures.Encode(decision.Context, decision.Actions);
            var seed = Sampling.SeedOf(decision.EventId, salt);
            if (candidate is null)
            {
                rewardModel.Decide(features, allowed, seed, scores, target);
                BaselineDistribution(decision.Actions, allowed, baselineActionId, target);
            }
            else
            {
                candidate.Decide(features, allowed, seed, scores, target);
            }

            var chosen = decision.ChosenIndex;
            samples[i] = EvaluationSample.FromDistributions(chosen, logged[chosen], _window[i].Reward, target, scores, logged);
        }

        return Estimator.Estimate(samples, new IntervalOptions { ConfidenceLevel = confidence });
    }

    /// <summary>The baseline: its action with probability 1 where allowed, else uniform over the allowed actions.</summary>
    internal static void BaselineDistribution(
        IReadOnlyList<Contracts.V1.Action> actions, bool[] allowed, string? baselineActionId, double[] target)
    {
        var fixedIndex = -1;
        for (var a = 0; a < actions.Count && baselineActionId is not null; a++)
        {
            if (allowed[a] && actions[a].Id == baselineActionId)
            {
                fixedIndex = a;
                break;
            }
        }

        var allowedCount = allowed.Count(x => x);
        for (var a = 0; a < actions.Count; a++)
        {
            target[a] = fixedIndex >= 0 ? (a == fixedIndex ? 1 : 0) : allowed[a] ? 1.0 / allowedCount : 0;
        }
    }

    private void LearnChallengers(DecisionEvent decision, double reward, DecisionFeatures features)
    {
        var chosen = decision.ChosenIndex;
        foreach (var (_, _, model) in _challengers)
        {
            model.Learn(features, chosen, reward, decision.Probabilities[chosen]);
        }
    }

    /// <summary>Rebuilds the challengers when the settings change, keeping those whose model shape is unchanged.</summary>
    private void Follow(PolicySettings settings)
    {
        if (ReferenceEquals(settings, _settings))
        {
            return;
        }

        var kept = _challengers.ToList();
        _challengers.Clear();
        foreach (var (name, challenger) in settings.Retraining.Challengers)
        {
            var existing = kept.Find(c => c.Name == name && c.Model.Settings == challenger.Model);
            var model = existing.Model ?? BanditPolicy.Create(challenger.Model, challenger.Exploration);
            model.Exploration = challenger.Exploration;
            _challengers.Add((name, challenger, model));
        }

        _settings = settings;
    }

    private void TrackOnPolicy(PolicyState state, DecisionEvent decision, double reward, int capacity)
    {
        var since = state.LiveSinceUnixMs;
        if (since != _liveSince)
        {
            // A swap: the model that was live becomes the previous one, with the rewards of its own decisions.
            _previous = _liveSince < 0 ? new RewardWindow(capacity) : _live;
            _live = new RewardWindow(capacity);
            _liveSince = since;
        }

        if (decision.TimestampUnixMs >= since)
        {
            _live.Add(reward);
        }
        else
        {
            _previous.Add(reward);
        }
    }
}
