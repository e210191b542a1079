namespace Loops.Core.Policies;

/// <summary>
/// A contextual-bandit policy: a learner (a reward model) and an explorer (scores to probabilities), created from
/// typed settings by <see cref="Create"/>. The decision service, the trainer, offline evaluation and the simulator
/// all drive policies through this one type.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Decide"/> fills the true sampling distribution: the caller draws the action with
/// <see cref="Sampling.Sample"/> and the same seed, and logs the probability of the drawn action. Any randomness an
/// algorithm needs (Thompson sampling's posterior draws) is derived from that seed, so a decision replays exactly
/// from the same model and seed.
/// </para>
/// <para>
/// Threading: <see cref="Decide"/> takes no lock and may run on any number of threads while one thread calls
/// <see cref="Learn"/> (a decision may then read a mix of the state before and after an update, which is harmless).
/// <see cref="Learn"/> must not run on two threads at once, and <see cref="WriteTo"/> and <see cref="Clone"/> should
/// not run concurrently with it. <see cref="Exploration"/> may be replaced at any time.
/// </para>
/// </remarks>
public abstract class BanditPolicy
{
    private ExplorationSettings exploration;
    private long progressiveEvents;
    private double sumOfSquaredErrors;
    private double sumOfRewards;

    private protected BanditPolicy(BanditModelSettings settings, ExplorationSettings exploration)
    {
        Settings = settings;
        this.exploration = exploration;
    }

    /// <summary>The settings the learned state depends on.</summary>
    public BanditModelSettings Settings { get; }

    /// <summary>The algorithm.</summary>
    public BanditAlgorithm Algorithm => Settings.Algorithm;

    /// <summary>The exploration parameters; replacing them keeps the learned state.</summary>
    /// <exception cref="ArgumentException">The new value is invalid.</exception>
    public ExplorationSettings Exploration
    {
        get => Volatile.Read(ref exploration);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            Volatile.Write(ref exploration, value);
        }
    }

    /// <summary>The number of events learned from.</summary>
    public abstract long Updates { get; }

    /// <summary>The memory the learned state takes, in bytes (the large arrays; object headers are left out).</summary>
    public abstract long StateBytes { get; }

    /// <summary>The progressive validation counters (a consistent snapshot only when no update runs concurrently).</summary>
    public ProgressiveValidation Progress =>
        new(Volatile.Read(ref progressiveEvents), Volatile.Read(ref sumOfSquaredErrors), Volatile.Read(ref sumOfRewards));

    /// <summary>Creates an untrained policy.</summary>
    /// <param name="settings">The model settings; validated.</param>
    /// <param name="exploration">The exploration parameters; validated.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public static BanditPolicy Create(BanditModelSettings settings, ExplorationSettings exploration)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(exploration);
        settings.Validate();
        exploration.Validate();
        return settings.Algorithm switch
        {
            BanditAlgorithm.Bagging => new BaggingPolicy(settings, exploration),
            BanditAlgorithm.LinUcb or BanditAlgorithm.Thompson => new RidgePolicy(settings, exploration),
            _ => new RegressionPolicy(settings, exploration, new LinearRewardModel(settings.Learner)),
        };
    }

    /// <summary>Wraps a trained <see cref="LinearRewardModel"/> as an epsilon-greedy policy (its behaviour before policies existed).</summary>
    /// <param name="model">The model; the policy learns into it.</param>
    /// <param name="exploration">The exploration parameters; validated.</param>
    /// <returns>The policy.</returns>
    public static BanditPolicy FromModel(LinearRewardModel model, ExplorationSettings exploration)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(exploration);
        exploration.Validate();
        return new RegressionPolicy(new BanditModelSettings { Learner = model.Settings }, exploration, model);
    }

    /// <summary>
    /// Scores every action and fills the probability with which each would be drawn. Lock-free and allocation-free.
    /// </summary>
    /// <param name="features">The encoded decision.</param>
    /// <param name="allowed">Whether each action may be chosen; at least one must be.</param>
    /// <param name="seed">The decision's seed (<see cref="Sampling.SeedOf"/> of the event id); draws derive from it.</param>
    /// <param name="scores">Receives each action's predicted reward (the model's mean, without exploration bonus).</param>
    /// <param name="probabilities">Receives the sampling distribution: it sums to 1 and disallowed actions get 0.</param>
    /// <exception cref="ArgumentException">The spans' lengths differ from the number of actions, or no action is allowed.</exception>
    public void Decide(DecisionFeatures features, ReadOnlySpan<bool> allowed, ulong seed, Span<double> scores, Span<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(features);
        features.ThrowIfDisposed();
        int actions = features.ActionCount;
        if (allowed.Length != actions || scores.Length != actions || probabilities.Length != actions)
        {
            throw new ArgumentException(
                $"allowed ({allowed.Length}), scores ({scores.Length}) and probabilities ({probabilities.Length}) must have one entry per action ({actions})",
                nameof(probabilities));
        }

        if (!allowed.Contains(true))
        {
            throw new ArgumentException("no action is allowed", nameof(allowed));
        }

        var settings = Exploration;
        DecideCore(features, allowed, seed, settings, scores, probabilities);
        Core.Exploration.MixUniform(allowed, FloorEpsilon(settings), probabilities);
    }

    /// <summary>
    /// Learns from the outcome of a decision, after recording its progressive validation (the prediction for the
    /// chosen action before learning, against the reward). Allocation-free; call from one thread at a time.
    /// </summary>
    /// <param name="features">The encoded decision, as it was when the action was chosen.</param>
    /// <param name="chosen">The index of the chosen action.</param>
    /// <param name="reward">The observed reward, on any scale.</param>
    /// <param name="probability">The logged probability of the chosen action, in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range or not finite.</exception>
    public void Learn(DecisionFeatures features, int chosen, double reward, double probability)
    {
        ArgumentNullException.ThrowIfNull(features);
        features.ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(chosen);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(chosen, features.ActionCount);
        if (!double.IsFinite(reward))
        {
            throw new ArgumentOutOfRangeException(nameof(reward), reward, "reward must be a finite number");
        }

        if (!(probability > 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "probability must be in (0, 1]");
        }

        double before = LearnCore(features, chosen, reward, probability);
        double error = before - reward;
        Volatile.Write(ref sumOfSquaredErrors, sumOfSquaredErrors + (error * error));
        Volatile.Write(ref sumOfRewards, sumOfRewards + reward);
        Volatile.Write(ref progressiveEvents, progressiveEvents + 1);
    }

    /// <summary>Returns an independent copy: settings, learned state and progressive validation counters.</summary>
    /// <returns>The copy.</returns>
    public BanditPolicy Clone()
    {
        var copy = CloneCore();
        copy.RestoreProgress(Progress);
        return copy;
    }

    /// <summary>
    /// Writes the policy in its binary format (magic "LOOPSBAN", a format version, the settings, the progressive
    /// validation counters, then the algorithm's state), with checksums.
    /// </summary>
    /// <param name="stream">The stream to write to; left open.</param>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        BanditPolicyFormat.Write(stream, this);
    }

    /// <summary>
    /// Reads a policy written by <see cref="WriteTo"/>, or a bare <see cref="LinearRewardModel"/> file (read as an
    /// epsilon-greedy policy with default exploration settings).
    /// </summary>
    /// <param name="stream">The stream to read from; left open, positioned after the policy.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="InvalidDataException">The stream is not a policy, is of an unknown version, is corrupt or is truncated.</exception>
    public static BanditPolicy ReadFrom(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return BanditPolicyFormat.Read(stream);
    }

    /// <summary>Fills scores and the distribution before the ε floor is mixed in (arguments are checked).</summary>
    private protected abstract void DecideCore(
        DecisionFeatures features, ReadOnlySpan<bool> allowed, ulong seed, ExplorationSettings settings, Span<double> scores, Span<double> probabilities);

    /// <summary>Learns from one event (arguments are checked); returns the chosen action's prediction before learning.</summary>
    private protected abstract double LearnCore(DecisionFeatures features, int chosen, double reward, double probability);

    private protected abstract BanditPolicy CloneCore();

    /// <summary>The ε mixed in after <see cref="DecideCore"/>; epsilon-greedy applies its own ε inside.</summary>
    private protected virtual double FloorEpsilon(ExplorationSettings settings) => settings.EpsilonAt(Updates);

    internal void RestoreProgress(ProgressiveValidation progress)
    {
        progressiveEvents = progress.Events;
        sumOfSquaredErrors = progress.SumOfSquaredErrors;
        sumOfRewards = progress.SumOfRewards;
    }
}
