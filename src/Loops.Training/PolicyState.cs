using Loops.Core;

namespace Loops.Training;

/// <summary>
/// A live policy: its current settings and model. The decision path reads both without locks; the trainer is the
/// only writer of the model and serialises its updates and snapshots through <see cref="ModelLock"/>.
/// </summary>
public sealed class PolicyState
{
    private PolicySettings _settings;
    private LinearRewardModel _model;
    private long _modelVersion;
    private long _eventsLearned;
    private long _lastSequence;

    internal PolicyState(PolicySettings settings, LinearRewardModel model, long modelVersion, long eventsLearned, long lastSequence)
    {
        _settings = settings;
        _model = model;
        _modelVersion = modelVersion;
        _eventsLearned = eventsLearned;
        _lastSequence = lastSequence;
    }

    /// <summary>The current settings.</summary>
    public PolicySettings Settings => Volatile.Read(ref _settings);

    /// <summary>The current model.</summary>
    public LinearRewardModel Model => Volatile.Read(ref _model);

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

    internal void Replace(PolicySettings settings, LinearRewardModel? model)
    {
        lock (ModelLock)
        {
            Volatile.Write(ref _settings, settings);
            if (model is not null)
            {
                Volatile.Write(ref _model, model);
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
        return policy;
    }
}
