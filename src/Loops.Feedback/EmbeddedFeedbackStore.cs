using System.Runtime.CompilerServices;
using Loops.Contracts.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Loops.Feedback;

/// <summary>
/// The feedback store embedded in the decision service: an append-only journal of decisions, rewards and joined
/// markers (group-committed, bounded by checkpointing rotation), an in-memory joiner driven by the decisions'
/// deadlines, and a joined log that trainers follow by sequence number. Pending decisions are kept in memory by
/// where their records are in the journal, and read back from there when joined. Files live under
/// <c>&lt;DataDirectory&gt;/feedback/</c>; one store per directory.
/// </summary>
public sealed class EmbeddedFeedbackStore : IFeedbackStore
{
    // Bounds the work done under the lock per join round, so a burst of deadlines cannot stall the hot path.
    private const int MaxJoinBatch = 4096;

    // Without deadlines the joiner still wakes now and then to expire orphan rewards.
    private static readonly TimeSpan MaxJoinerSleep = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan JoinRetryDelay = TimeSpan.FromSeconds(1);

    private readonly string _directory;
    private readonly EmbeddedFeedbackStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly FeedbackState _state;
    private readonly JoinedLog _joinedLog;
    private readonly SemaphoreSlim _joinDue = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _opening;
    private volatile bool _isOpen;
    private bool _disposed;
    private JournalWriter? _journal;
    private ITimer? _joinTimer;
    private long _armedDeadline = long.MaxValue;
    private Task _joiner = Task.CompletedTask;
    private BatchWithoutOriginal? _noOriginal;
    private FileStream? _directoryLock;
    private long _decisions;
    private long _duplicateDecisions;
    private long _rewards;
    private long _orphanRewards;
    private long _lateRewards;
    private long _expiredOrphans;
    private long _joined;
    private long _defaultRewarded;

    /// <summary>
    /// Creates a store over <see cref="EmbeddedFeedbackStoreOptions.DataDirectory"/> without touching the disk yet:
    /// it recovers on first use (or use <see cref="OpenAsync"/> to recover up front).
    /// </summary>
    /// <param name="options">The settings; validated here and copied.</param>
    /// <param name="timeProvider">The clock that closes reward windows and ages orphan rewards.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public EmbeddedFeedbackStore(
        EmbeddedFeedbackStoreOptions options, TimeProvider timeProvider, ILogger<EmbeddedFeedbackStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = new EmbeddedFeedbackStoreOptions
        {
            DataDirectory = options.DataDirectory,
            SegmentBytes = options.SegmentBytes,
            CheckpointSpacing = options.CheckpointSpacing,
            InlineBackgroundWork = options.InlineBackgroundWork,
            JoinedRetentionBytes = options.JoinedRetentionBytes,
            FlushToDisk = options.FlushToDisk,
            OrphanRewardTtl = options.OrphanRewardTtl,
            MaxOrphanRewards = options.MaxOrphanRewards,
        };
        _directory = Path.Combine(Path.GetFullPath(options.DataDirectory), "feedback");
        _timeProvider = timeProvider;
        _logger = logger;
        _state = new FeedbackState(options.OrphanRewardTtl, options.MaxOrphanRewards);
        _joinedLog = new JoinedLog(_directory, options.SegmentBytes, options.JoinedRetentionBytes, options.FlushToDisk, logger);
    }

    /// <summary>Creates a store and recovers its state from disk: pending joins, orphan rewards and the joined log.</summary>
    /// <param name="options">The settings; validated and copied.</param>
    /// <param name="timeProvider">The clock that closes reward windows and ages orphan rewards.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="cancellationToken">Cancels waiting for the recovery.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="IOException">The directory is unusable or used by another store.</exception>
    public static async Task<EmbeddedFeedbackStore> OpenAsync(
        EmbeddedFeedbackStoreOptions options,
        TimeProvider timeProvider,
        ILogger<EmbeddedFeedbackStore> logger,
        CancellationToken cancellationToken)
    {
        var store = new EmbeddedFeedbackStore(options, timeProvider, logger);
        try
        {
            await store.EnsureOpenAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask RecordDecisionAsync(DecisionEvent decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (string.IsNullOrEmpty(decision.EventId))
        {
            throw new ArgumentException("A decision needs an event id.", nameof(decision));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (!_isOpen)
        {
            return RecordDecisionWhenOpenAsync(decision, cancellationToken);
        }

        return new ValueTask(Record(decision, encoded: default, answerRetry: false, out _));
    }

    /// <inheritdoc />
    /// <remarks>
    /// A retry is answered while the original decision is pending, across restarts too, with the response made again
    /// from the decision's record (<see cref="Loops.Contracts.DecisionResponses"/>): the journal keeps no response beside it.
    /// </remarks>
    public ValueTask<DecideResponse> RecordDecisionOnceAsync(
        DecisionEvent decision, DecideResponse response, CancellationToken cancellationToken) =>
        RecordDecisionOnceAsync(decision, ReadOnlyMemory<byte>.Empty, response, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<DecideResponse> RecordDecisionOnceAsync(
        DecisionEvent decision, ReadOnlyMemory<byte> encodedDecision, DecideResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        return await RecordDecisionOrFindOriginalAsync(decision, encodedDecision, cancellationToken) ?? response;
    }

    /// <inheritdoc />
    public ValueTask<DecideResponse?> RecordDecisionOrFindOriginalAsync(
        DecisionEvent decision, ReadOnlyMemory<byte> encodedDecision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (string.IsNullOrEmpty(decision.EventId))
        {
            throw new ArgumentException("A decision needs an event id.", nameof(decision));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<DecideResponse?>(cancellationToken);
        }

        if (!_isOpen)
        {
            return RecordDecisionWhenOpenAsync(decision, encodedDecision, cancellationToken);
        }

        var written = Record(decision, encodedDecision.Span, answerRetry: true, out var original);
        if (original is { } stored)
        {
            return ReadOriginalAsync(stored);
        }

        return written.IsCompletedSuccessfully ? default : new ValueTask<DecideResponse?>(NoOriginalWhenWritten(written));
    }

    /// <summary>
    /// Journals and applies a decision unless its id is known; a known one is counted as a duplicate, and where its
    /// record is (to answer the retry from) comes back in <paramref name="original"/> when <paramref name="answerRetry"/>.
    /// </summary>
    private Task Record(DecisionEvent decision, ReadOnlySpan<byte> encoded, bool answerRetry, out StoredRecord? original)
    {
        // Hashed once, before the lock.
        var keys = FeedbackState.IdKeys.Of(decision.EventId);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var journal = _journal!;
            original = null;

            // Framed before the state is asked whether the id is known, so that the common case, a new id, costs one
            // lookup of the pending map (a likely cache miss among millions) instead of one to check and one to add.
            // Encoded once (by the caller, or straight into the journal's buffer); the state keeps only where it went.
            var start = journal.Buffer.Length;
            JournalCodec.WriteDecision(journal.Buffer, decision, encoded);
            if (_state.ApplyDecision(decision, keys, journal.LocationOf(start, journal.Buffer.Length - start), answerable: true))
            {
                _decisions++;
                ArmJoinTimerLocked(decision.JoinDeadlineUnixMs);
                return journal.Commit();
            }

            _duplicateDecisions++;
            if (_state.FindAnswerable(decision.EventId, NowUnixMs()) is { } location)
            {
                // Answered from the original's record: this one is not journaled.
                journal.Buffer.Truncate(start);
                if (answerRetry)
                {
                    // Read outside the lock; the reference keeps the segment while it is read.
                    _state.AddReference(location.Segment);
                    original = new StoredRecord(decision.EventId, location, journal.FileOf(location.Segment), journal.WhenWritten(location));
                }

                return Task.CompletedTask;
            }

            // Journaled all the same, as before: recovery counts it as the duplicate it is.
            return journal.Commit();
        }
    }

    /// <summary>
    /// The response of a retried decision's original, made again from its record once it is written; null when the
    /// record cannot be read (its write failed: its caller was told so, and this one gets its own answer).
    /// </summary>
    private async ValueTask<DecideResponse?> ReadOriginalAsync(StoredRecord stored)
    {
        try
        {
            await IgnoreWriteFailure(stored.Written);
            return JournalReads.ReadResponse(stored.File, stored.Location, stored.EventId);
        }
        finally
        {
            lock (_gate)
            {
                _state.ReleaseReference(stored.Location.Segment);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RecordRewardAsync(RewardEvent reward, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reward);
        if (string.IsNullOrEmpty(reward.EventId))
        {
            throw new ArgumentException("A reward needs an event id.", nameof(reward));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        if (!_isOpen)
        {
            return RecordRewardWhenOpenAsync(reward, cancellationToken);
        }

        Task<bool> written;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = NowUnixMs();
            JournalCodec.WriteReward(_journal!.Buffer, reward, now);
            var outcome = _state.ApplyReward(reward, now);
            _rewards++;
            if (outcome == RewardOutcome.Orphan)
            {
                _orphanRewards++;
                _expiredOrphans += _state.ExpireStale(now);
            }
            else if (outcome == RewardOutcome.Late)
            {
                _lateRewards++;
            }

            written = _journal.Commit(outcome == RewardOutcome.Pending);
        }

        return new ValueTask<bool>(written);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JoinedRecord> ReadJoinedAsync(
        long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureOpenAsync(cancellationToken);
        await foreach (var record in _joinedLog.ReadAsync(afterSequence, follow: true, cancellationToken))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public ValueTask<DecisionEvent?> FindPendingDecisionAsync(string eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        StoredRecord stored;
        lock (_gate)
        {
            if (!_isOpen || _state.FindPending(eventId) is not { } location)
            {
                return ValueTask.FromResult<DecisionEvent?>(null);
            }

            // Read outside the lock; the reference keeps the segment while it is read.
            _state.AddReference(location.Segment);
            stored = new StoredRecord(eventId, location, _journal!.FileOf(location.Segment), _journal.WhenWritten(location));
        }

        return ReadPendingAsync(stored);
    }

    private async ValueTask<DecisionEvent?> ReadPendingAsync(StoredRecord stored)
    {
        try
        {
            await IgnoreWriteFailure(stored.Written);
            var encoded = JournalReads.ReadDecision(stored.File, stored.Location, stored.EventId);
            return encoded is { } bytes ? DecisionEvent.Parser.ParseFrom(bytes.Span) : null;
        }
        finally
        {
            lock (_gate)
            {
                _state.ReleaseReference(stored.Location.Segment);
            }
        }
    }

    /// <inheritdoc />
    public FeedbackStats GetStats()
    {
        lock (_gate)
        {
            return new FeedbackStats
            {
                Decisions = _decisions,
                DuplicateDecisions = _duplicateDecisions,
                Rewards = _rewards,
                OrphanRewards = _orphanRewards,
                LateRewards = _lateRewards,
                ExpiredOrphans = _expiredOrphans,
                Joined = _joined,
                DefaultRewarded = _defaultRewarded,
                PendingJoins = _state.PendingCount,
                LiveOrphans = _state.OrphanCount,
                LastJoinedSequence = _state.LastJoinedSequence,
                EarliestDeadlineUnixMs = _state.PendingCount == 0 ? 0 : _state.NextDeadline,
            };
        }
    }

    /// <summary>
    /// Stops joining, writes what is buffered, ends the readers of the joined log and closes the files.
    /// Pending decisions stay in the journal and are joined after the next open.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Task? opening;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            opening = _opening;
        }

        if (opening is not null)
        {
            try
            {
                await opening;
            }
            catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // The failed open was reported to its callers; there is nothing of it to close but the files below.
            }
        }

        await _stopping.CancelAsync();
        await _joiner;
        if (_journal is not null)
        {
            await _journal.StopAsync();
            _journal.Dispose();
        }

        _joinedLog.Complete();
        _joinedLog.Dispose();
        _joinTimer?.Dispose();
        _directoryLock?.Dispose();
        _stopping.Dispose();
    }

    // A failed batch is found out by reading its records back: they are padding then.
    private static async Task IgnoreWriteFailure(Task written)
    {
        try
        {
            await written;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Completes with no original response once the batch <paramref name="written"/> stands for is written. The
    /// decisions of a batch share one such task instead of each wrapping the batch in a state machine of its own.
    /// </summary>
    private Task<DecideResponse?> NoOriginalWhenWritten(Task written)
    {
        // Racing callers may replace each other's task: each still gets the one of its own batch.
        var current = Volatile.Read(ref _noOriginal);
        if (current is null || !ReferenceEquals(current.Batch, written))
        {
            current = new BatchWithoutOriginal(written);
            Volatile.Write(ref _noOriginal, current);
        }

        return current.Answered;
    }

    private long NowUnixMs() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private async ValueTask RecordDecisionWhenOpenAsync(DecisionEvent decision, CancellationToken cancellationToken)
    {
        await EnsureOpenAsync(cancellationToken);
        await RecordDecisionAsync(decision, cancellationToken);
    }

    private async ValueTask<DecideResponse?> RecordDecisionWhenOpenAsync(
        DecisionEvent decision, ReadOnlyMemory<byte> encodedDecision, CancellationToken cancellationToken)
    {
        await EnsureOpenAsync(cancellationToken);
        return await RecordDecisionOrFindOriginalAsync(decision, encodedDecision, cancellationToken);
    }

    private async ValueTask<bool> RecordRewardWhenOpenAsync(RewardEvent reward, CancellationToken cancellationToken)
    {
        await EnsureOpenAsync(cancellationToken);
        return await RecordRewardAsync(reward, cancellationToken);
    }

    private Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (_isOpen)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // Shared by all first callers, so it runs to the end whatever their tokens do.
            _opening ??= Task.Run(OpenCoreAsync, CancellationToken.None);
        }

        return _opening.WaitAsync(cancellationToken);
    }

    private async Task OpenCoreAsync()
    {
        var started = _timeProvider.GetTimestamp();
        Directory.CreateDirectory(_directory);

        // Held while open: a second store on the same directory would corrupt both.
        _directoryLock = new FileStream(
            Path.Combine(_directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        await _joinedLog.RecoverAsync(CancellationToken.None);
        var recovered = await JournalRecovery.RecoverAsync(_directory, _state, _logger, CancellationToken.None);
        var journal = new JournalWriter(
            _gate, _directory, recovered, _options.SegmentBytes, _options.CheckpointSpacing, _options.FlushToDisk,
            _options.InlineBackgroundWork, _state, _logger);

        // Joined events written just before a crash whose markers had not reached the journal yet:
        // their decisions were joined already and must not be joined twice.
        var reconciled = 0;
        await foreach (var joined in _joinedLog.ReadAsync(_state.LastJoinedSequence, follow: false, CancellationToken.None))
        {
            _state.CompleteJoin(joined.Event.Decision.EventId, joined.Sequence, joined.Event.JoinedAtUnixMs);
            JournalCodec.WriteJoinedMarker(journal.Buffer, joined.Sequence, joined.Event.JoinedAtUnixMs, joined.Event.Decision.EventId);
            reconciled++;
        }

        if (reconciled > 0)
        {
            FeedbackLog.JoinsReconciled(_logger, reconciled);
        }

        _joinedLog.SkipTo(_state.LastJoinedSequence);
        _state.ExpireStale(NowUnixMs());
        _joinTimer = _timeProvider.CreateTimer(
            static joinDue => ((SemaphoreSlim)joinDue!).Release(), _joinDue, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_gate)
        {
            _journal = journal;
            if (reconciled > 0)
            {
                journal.Commit();
            }

            ArmJoinTimerLocked(_state.NextDeadline);
        }

        journal.Start();
        _joiner = Task.Run(() => RunJoinerAsync(_stopping.Token), CancellationToken.None);
        _isOpen = true;
        var elapsedMs = (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds;
        FeedbackLog.Recovered(
            _logger,
            _directory,
            elapsedMs,
            recovered.Records,
            _state.PendingCount,
            _state.OrphanCount,
            _state.LastJoinedSequence);
    }

    private void ArmJoinTimerLocked(long deadlineUnixMs)
    {
        if (deadlineUnixMs >= _armedDeadline || _joinTimer is null)
        {
            return;
        }

        var now = NowUnixMs();
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, deadlineUnixMs - now));
        if (delay > MaxJoinerSleep)
        {
            delay = MaxJoinerSleep;
            deadlineUnixMs = now + (long)MaxJoinerSleep.TotalMilliseconds;
        }

        _armedDeadline = deadlineUnixMs;
        _joinTimer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private async Task RunJoinerAsync(CancellationToken stopping)
    {
        var round = new JoinRound([], [], [], [], [], new RunBuffers(), [], new RecordBuffer());
        try
        {
            while (true)
            {
                try
                {
                    await _joinDue.WaitAsync(stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                while (await JoinDueAsync(round, stopping))
                {
                }
            }
        }
        catch (Exception exception) when (LogJoinerFailure(exception))
        {
            throw;
        }
    }

    private bool LogJoinerFailure(Exception exception)
    {
        FeedbackLog.JoinerFailed(_logger, exception);
        return false;
    }

    /// <summary>Joins the decisions whose deadline has passed; true when more may be due right away.</summary>
    private async Task<bool> JoinDueAsync(JoinRound round, CancellationToken stopping)
    {
        var (due, files, decisions, joined, lost, buffers, keys, markers) = round;

        // The previous round's decisions are in the joined log by now.
        buffers.Reset();
        var now = NowUnixMs();
        var written = Task.CompletedTask;
        lock (_gate)
        {
            _state.TakeDue(now, MaxJoinBatch, due);
            _expiredOrphans += _state.ExpireStale(now);
            _armedDeadline = long.MaxValue;
            ArmJoinTimerLocked(_state.NextDeadline);
            if (due.Count > 0)
            {
                // Joining decisions stay pending, so their segments are kept while they are read below.
                var latest = due[0].Location;
                var segment = -1;
                SafeFileHandle? file = null;
                foreach (var join in due)
                {
                    if (join.Location.Segment != segment)
                    {
                        segment = join.Location.Segment;
                        file = _journal!.FileOf(segment);
                    }

                    files.Add(file);
                    latest = join.Location.IsAfter(latest) ? join.Location : latest;
                }

                // A window shorter than a batch: the decision is read once its batch is written.
                written = _journal!.WhenWritten(latest);
            }
        }

        if (due.Count == 0)
        {
            return false;
        }

        await IgnoreWriteFailure(written);
        JournalReads.ReadDecisions(due, files, decisions, buffers);
        var sequence = _joinedLog.WrittenSequence;
        for (var index = 0; index < due.Count; index++)
        {
            var join = due[index];
            if (decisions[index] is not { } decision || JournalCodec.EventIdOf(decision.Span) is not { } eventId)
            {
                lost.Add(join.Key);
                continue;
            }

            var rewarded = join.Rewards.Count > 0;
            var outcome = new JoinedEvent
            {
                Reward = rewarded ? join.Rewards.Value(join.Aggregation) : join.DefaultReward,
                IsDefaultReward = !rewarded,
                RewardCount = join.Rewards.Count,
                JoinedAtUnixMs = now,
            };
            joined.Add(new JoinedEntry(++sequence, eventId, outcome, decision));
            keys.Add(FeedbackState.IdKeys.Of(join.Key, eventId));
        }

        files.Clear();
        decisions.Clear();

        var more = due.Count == MaxJoinBatch;
        try
        {
            _joinedLog.Append(joined);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            FeedbackLog.JoinWriteFailed(_logger, due.Count, exception);
            lock (_gate)
            {
                _state.AbortJoins(due);
            }

            due.Clear();
            joined.Clear();
            lost.Clear();
            keys.Clear();
            try
            {
                await Task.Delay(JoinRetryDelay, _timeProvider, stopping);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            return true;
        }

        // Hashing the ids (above) and framing the markers need no lock: under it, each joined event is a few lookups.
        var defaultRewarded = 0;
        foreach (var (joinedSequence, eventId, outcome, _) in joined)
        {
            JournalCodec.WriteJoinedMarker(markers, joinedSequence, now, eventId);
            defaultRewarded += outcome.IsDefaultReward ? 1 : 0;
        }

        Task markersWritten;
        lock (_gate)
        {
            for (var index = 0; index < joined.Count; index++)
            {
                _state.CompleteJoin(keys[index], joined[index].Sequence, now);
            }

            _journal!.Buffer.Append(markers.WrittenSpan);
            _defaultRewarded += defaultRewarded;

            foreach (var key in lost)
            {
                // Its record cannot be read back: its batch failed to be written (its caller was told), so there is
                // nothing to join; one still on disk after all comes back with the next restart.
                _state.Drop(key);
            }

            _joined += joined.Count;
            markersWritten = _journal!.Commit();
        }

        if (lost.Count > 0)
        {
            FeedbackLog.PendingDecisionsLost(_logger, lost.Count);
        }

        // Published after the state is updated, so a reader of an event sees it counted in the stats.
        _joinedLog.Publish();

        due.Clear();
        joined.Clear();
        lost.Clear();
        keys.Clear();
        markers.Clear();
        try
        {
            await markersWritten;
        }
        catch (IOException)
        {
            // Logged by the journal writer; recovery reconciles the markers from the joined log.
        }

        return more;
    }

    /// <summary>A journal batch, and the task that completes with no original response when it is written.</summary>
    private sealed class BatchWithoutOriginal(Task batch)
    {
        public Task Batch { get; } = batch;

        // Its awaiters resume on the thread pool, each on its own, as the batch's own awaiters do.
        public Task<DecideResponse?> Answered { get; } = batch.ContinueWith(
            static written =>
            {
                written.GetAwaiter().GetResult();
                return (DecideResponse?)null;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.RunContinuationsAsynchronously,
            TaskScheduler.Default);
    }

    /// <summary>A journaled record to read back outside the lock, holding a reference on its segment.</summary>
    /// <param name="EventId">The decision's event id, to check the record against.</param>
    /// <param name="Location">Where the record is.</param>
    /// <param name="File">Its segment's file.</param>
    /// <param name="Written">Completes when the record's batch is written.</param>
    private readonly record struct StoredRecord(string EventId, JournalLocation Location, SafeFileHandle? File, Task Written);

    /// <summary>The lists a join round fills, reused from round to round.</summary>
    /// <param name="Due">The decisions taken to be joined.</param>
    /// <param name="Files">The segment file of each, by index.</param>
    /// <param name="Decisions">The bytes read back for each, by index (null when unreadable).</param>
    /// <param name="Joined">The joined events to write.</param>
    /// <param name="Lost">The event ids of decisions that could not be read back.</param>
    /// <param name="Buffers">What the decisions are read into; reset once they are in the joined log.</param>
    /// <param name="Keys">The keys of each joined event's id, by index in <paramref name="Joined"/>.</param>
    /// <param name="Markers">The journal's joined markers of the round, framed before taking the lock to append them.</param>
    private sealed record JoinRound(
        List<DueJoin> Due,
        List<SafeFileHandle?> Files,
        List<ReadOnlyMemory<byte>?> Decisions,
        List<JoinedEntry> Joined,
        List<EventKey> Lost,
        RunBuffers Buffers,
        List<FeedbackState.IdKeys> Keys,
        RecordBuffer Markers);
}
