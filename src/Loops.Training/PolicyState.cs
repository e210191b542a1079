using Loops.Core.Policies;

namespace Loops.Training;

/// <summary>
/// A live policy: its current settings and model. The decision path reads both without locks; the trainer is the
/// only writer of the model and serialises its updates and snapshots through <see cref="ModelLock"/>.
/// </summary>
public sealed class PolicyState
{
    private PolicySettings _settings;
    private LiveModel _live;
    private long _lastVersion;
    private long _liveSinceUnixMs;
    private long _eventsLearned;
    private long _lastSequence;

    internal PolicyState(PolicySettings settings, BanditPolicy policy, long modelVersion, long eventsLearned, long lastSequence)
    {
        _settings = settings;
        _live = new LiveModel(policy, modelVersion);
        _lastVersion = modelVersion;
        _eventsLearned = eventsLearned;
        _lastSequence = lastSequence;
    }

    /// <summary>The current settings.</summary>
    public PolicySettings Settings => Volatile.Read(ref _settings);

    /// <summary>The current bandit policy: the learned model with its explorer.</summary>
    public BanditPolicy Policy => Live.Policy;

    /// <summary>The live model with its version; read it once per decision so both belong together.</summary>
    public LiveModel Live => Volatile.Read(ref _live);

    /// <summary>The version of the live model; decisions report it.</summary>
    public long ModelVersion => Live.Version;

    /// <summary>The highest version number given out so far.</summary>
    public long LastVersion => Interlocked.Read(ref _lastVersion);

    /// <summary>The versions that were live before the current one, most recent last (for rollback).</summary>
    internal Stack<long> PreviousVersions { get; } = new();

    /// <summary>Joined events learned from, over the policy's life.</summary>
    public long EventsLearned => Interlocked.Read(ref _eventsLearned);

    /// <summary>The sequence number of the last joined event learned from.</summary>
    public long LastSequence => Interlocked.Read(ref _lastSequence);

    /// <summary>Held while the model is updated or snapshotted, so a snapshot matches <see cref="LastSequence"/>.</summary>
    internal Lock ModelLock { get; } = new();

    /// <summary>True when the model learned since its last snapshot.</summary>
    internal bool Dirty { get; set; }

    /// <summary>When the model was last stored as a version (or the policy was loaded), Unix ms.</summary>
    internal long SavedUnixMs { get; set; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>
    /// Applies new settings: with the same model (<paramref name="policy"/> null), or with another one, which is a
    /// stored version (<paramref name="storedVersion"/>) or a new model numbered next.
    /// </summary>
    internal void Replace(PolicySettings settings, BanditPolicy? policy, long storedVersion = 0)
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
                Volatile.Write(ref _live, new LiveModel(policy, storedVersion > 0 ? storedVersion : NextVersion()));
                Dirty = storedVersion == 0;
            }
        }
    }

    /// <summary>
    /// Makes another model live in one reference write: decisions in flight finish with the model they read, the
    /// next ones use the new one; nothing waits. The caller holds <see cref="ModelLock"/>.
    /// </summary>
    internal void Swap(BanditPolicy policy, long version, bool remember = true)
    {
        var previous = Live;
        // Pushed even when the number is the same: PreviousVersion skips entries equal to the live version, and the
        // live model may have been renumbered by snapshots since it was made live.
        if (remember)
        {
            PreviousVersions.Push(previous.Version);
        }

        Volatile.Write(ref _live, new LiveModel(policy, version));
        Dirty = false;
        Interlocked.Exchange(ref _liveSinceUnixMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    /// <summary>When the live model was last swapped in (Unix ms; 0 when never): decisions from then on are its own.</summary>
    public long LiveSinceUnixMs => Interlocked.Read(ref _liveSinceUnixMs);

    /// <summary>Makes new settings and their model live at once (a promoted challenger); the caller holds <see cref="ModelLock"/>.</summary>
    internal void Adopt(PolicySettings settings, BanditPolicy policy, long version)
    {
        Volatile.Write(ref _settings, settings);
        Swap(policy, version);
    }

    /// <summary>Raises the last version given out (at start-up, from the stored versions).</summary>
    internal void RaiseLastVersion(long version)
    {
        if (version > LastVersion)
        {
            Interlocked.Exchange(ref _lastVersion, version);
        }
    }

    /// <summary>Gives the live model a new version number after a snapshot (the caller holds <see cref="ModelLock"/>).</summary>
    internal void Renumber(long version) => Volatile.Write(ref _live, new LiveModel(Live.Policy, version));

    internal void Learned(long sequence)
    {
        Interlocked.Increment(ref _eventsLearned);
        Interlocked.Exchange(ref _lastSequence, sequence);
        Dirty = true;
    }

    /// <summary>Takes the learning position of a model made elsewhere (the caller holds <see cref="ModelLock"/>).</summary>
    internal void Resume(long eventsLearned, long lastSequence)
    {
        Interlocked.Exchange(ref _eventsLearned, eventsLearned);
        Interlocked.Exchange(ref _lastSequence, lastSequence);
    }

    internal void Skipped(long sequence) => Interlocked.Exchange(ref _lastSequence, Math.Max(LastSequence, sequence));

    internal long NextVersion() => Interlocked.Increment(ref _lastVersion);

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
