using Loops.Constraints;
using Loops.Core;
using Loops.Feedback;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Loops.Training;

/// <summary>
/// Learns online from joined events: each event updates its policy's model once (events at or before a model's
/// snapshot sequence are skipped after a restart), and models are snapshotted periodically. Only the policies this
/// process holds the training lease of are learned; when it takes one over, it reads again from that policy's
/// position.
/// </summary>
public sealed class Trainer(
    IFeedbackStore store,
    PolicyCatalog catalog,
    AuditLog audit,
    ITrainingLeases leases,
    IOptions<TrainerOptions> options,
    TimeProvider timeProvider,
    ILogger<Trainer> logger) : BackgroundService
{
    private readonly Dictionary<string, PolicyRetraining> _retraining = new(StringComparer.Ordinal);
    private static readonly TimeSpan MinimumTick = TimeSpan.FromMilliseconds(100);
    private readonly RetrainingJudge _judge = new(catalog, audit, timeProvider);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var snapshots = SnapshotLoopAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await LearnUntilLeasesChangeAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await snapshots.ConfigureAwait(false);
        await catalog.SaveModelsAsync(CancellationToken.None, state => leases.Trains(state.Settings.Name)).ConfigureAwait(false);
    }

    /// <summary>Reads joined events from the earliest position of the policies trained here, until this process takes over another.</summary>
    private async Task LearnUntilLeasesChangeAsync(CancellationToken stoppingToken)
    {
        var generation = leases.Generation;
        var trained = catalog.All.Where(p => leases.Trains(p.Settings.Name)).ToList();
        var start = trained.Count == 0 ? store.GetStats().LastJoinedSequence : trained.Min(p => p.LastSequence);
        TrainingLog.TrainerStarted(logger, start);
        await foreach (var record in store.ReadJoinedAsync(start, stoppingToken).ConfigureAwait(false))
        {
            if (leases.Generation != generation)
            {
                return;
            }

            if (Learn(record) is { } due)
            {
                await EvaluateAsync(due.State, due.Retraining, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Updates the event's policy from one joined event (its challengers too); returns the policy when its
    /// evaluation is due.
    /// </summary>
    internal (PolicyState State, PolicyRetraining Retraining)? Learn(JoinedRecord record)
    {
        var decision = record.Event.Decision;
        if (decision is null || catalog.Find(decision.Policy) is not { } state || record.Sequence <= state.LastSequence
            || !leases.Trains(decision.Policy))
        {
            return null;
        }

        var chosen = decision.ChosenIndex;
        if (chosen < 0 || chosen >= decision.Actions.Count || chosen >= decision.Probabilities.Count
            || decision.Probabilities[chosen] <= 0)
        {
            TrainingLog.EventSkipped(logger, record.Sequence, decision.Policy, "the chosen action or its probability is missing");
            state.Skipped(record.Sequence);
            return null;
        }

        // Under the net-value objective the model learns reward − the chosen action's cost, so every algorithm's
        // scores (and its exploration) are in net value without a step of its own at decision time.
        var reward = record.Event.Reward;
        if (state.Settings.Constraints.Objective == Objective.NetValue)
        {
            reward -= decision.Actions[chosen].Cost;
        }

        using var features = DecisionFeatures.Encode(decision.Context, decision.Actions);
        PolicyRetraining? retraining = null;
        if (state.Settings.Retraining.IsActive)
        {
            if (!_retraining.TryGetValue(decision.Policy, out retraining))
            {
                _retraining[decision.Policy] = retraining = new PolicyRetraining();
            }

            // Before the champion learns the event: a held-out window starts with a copy of the champion without it.
            retraining.Observe(state, decision, reward, features, timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        }

        lock (state.ModelLock)
        {
            state.Policy.Learn(features, chosen, reward, decision.Probabilities[chosen]);
            state.Learned(record.Sequence);
        }

        return retraining is { Due: true } ? (state, retraining) : null;
    }

    private async Task EvaluateAsync(PolicyState state, PolicyRetraining retraining, CancellationToken cancellationToken)
    {
        try
        {
            await _judge.CheckRollbackAsync(state, retraining, cancellationToken).ConfigureAwait(false);
            await _judge.EvaluateAsync(state, retraining, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidPolicyException or ArgumentException)
        {
            // An evaluation that cannot complete leaves the live model as it is; the window starts again.
            TrainingLog.EvaluationFailed(logger, state.Settings.Name, ex);
            retraining.Evaluated(timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    /// <summary>
    /// Stores each trained policy's model as a new version when its update interval (the policy's
    /// <c>model_update_seconds</c>, else the service's snapshot interval) has passed, checking as often as the
    /// shortest interval asks.
    /// </summary>
    private async Task SnapshotLoopAsync(CancellationToken stoppingToken)
    {
        var fallback = options.Value.SnapshotInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var tick = catalog.All.Select(p => p.Settings.ModelUpdateInterval ?? fallback).Append(fallback).Min();
                await Task.Delay(tick < MinimumTick ? MinimumTick : tick, timeProvider, stoppingToken).ConfigureAwait(false);
                var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
                try
                {
                    await catalog.SaveModelsAsync(stoppingToken, state => leases.Trains(state.Settings.Name) && IsDue(state, now, fallback)).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    TrainingLog.SnapshotFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // A tenth of the interval of slack: a timer that fires a little early must not skip a whole interval.
    private static bool IsDue(PolicyState state, long nowUnixMs, TimeSpan fallback)
    {
        var interval = state.Settings.ModelUpdateInterval ?? fallback;
        return nowUnixMs - state.SavedUnixMs >= interval.TotalMilliseconds * 0.9;
    }
}
