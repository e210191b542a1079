using Loops.Core.Policies;

namespace Loops.Training;

/// <summary>
/// A live policy: its current settings and model. The decision path reads both without locks; the trainer is the
/// only writer of the model and serialises its updates and snapshots through <see cref="ModelLock"/>.
/// </summary>
public sealed class PolicyState
{
    private PolicySettings _settings;
    private BanditPolicy _policy;
    private long _modelVersion;
    private long _eventsLearned;
    private long _lastSequence;

    internal PolicyState(PolicySettings settings, BanditPolicy policy, long modelVersion, long eventsLearned, long lastSequence)
    {
        _settings = settings;
        _policy = policy;
        _modelVersion = modelVersion;
        _eventsLearned = eventsLearned;
        _lastSequence = lastSequence;
    }

    /// <summary>The current settings.</summary>
    public PolicySettings Settings => Volatile.Read(ref _settings);

    /// <summary>The current bandit policy: the learned model with its explorer.</summary>
    public BanditPolicy Policy => Volatile.Read(ref _policy);

    /// <summary>The version of the model's last saved snapshot; decisions report it.</summary>
    public long ModelVersion => Interlocked.Read(ref _modelVersion);

    /// <summary>Joined events learned from, over the policy's life.</summary>
    public long EventsLearned => Interlocked.Read(ref _eventsLearned);

    /// <summary>The sequence number of the last joined event learned from.</summary>
    public long LastSequence => Interlocked.Read(ref _lastSequence);

    /// <summary>Held while the model is updated or snapshotted, so a snapshot matches <see cref="LastSequence"/>.</summary>
    internal Lock ModelLock { get; } = new();

    /// <summary>True when the model learned since its last snapshot.</summary>
    internal bool Dirty { get; set; }

    internal void Replace(PolicySettings settings, BanditPolicy? policy)
    {
        lock (ModelLock)
        {
            Volatile.Write(ref _settings, settings);
            if (policy is null)
            {
                Policy.Exploration = settings.Exploration;
            }
            else
            {
                Volatile.Write(ref _policy, policy);
                Interlocked.Increment(ref _modelVersion);
                Dirty = true;
            }
        }
    }

    internal void Learned(long sequence)
    {
        Interlocked.Increment(ref _eventsLearned);
        Interlocked.Exchange(ref _lastSequence, sequence);
        Dirty = true;
    }

    internal void Skipped(long sequence) => Interlocked.Exchange(ref _lastSequence, Math.Max(LastSequence, sequence));

    internal long NextVersion() => Interlocked.Increment(ref _modelVersion);

    /// <summary>The definition with its output-only fields filled in, as the admin API returns it.</summary>
    public Contracts.V1.Policy ToPolicy()
    {
        var policy = Settings.Definition.Clone();
        policy.ModelVersion = ModelVersion;
        policy.EventsLearned = EventsLearned;
        var live = Policy;
        var progress = live.Progress;
        policy.ProgressiveLoss = progress.MeanSquaredError;
        policy.ProgressiveReward = progress.MeanReward;
        policy.ModelBytes = live.StateBytes;
        return policy;
    }
}
