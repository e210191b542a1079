using Loops.Constraints;
using Loops.Core;
using Loops.Feedback;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Loops.Training;

/// <summary>
/// Learns online from joined events: each event updates its policy's model once (events at or before a model's
/// snapshot sequence are skipped after a restart), and models are snapshotted periodically.
/// </summary>
public sealed class Trainer(
    IFeedbackStore store,
    PolicyCatalog catalog,
    IOptions<TrainerOptions> options,
    TimeProvider timeProvider,
    ILogger<Trainer> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var snapshots = SnapshotLoopAsync(stoppingToken);
        var start = catalog.All.Count == 0 ? store.GetStats().LastJoinedSequence : catalog.All.Min(p => p.LastSequence);
        TrainingLog.TrainerStarted(logger, start);
        try
        {
            await foreach (var record in store.ReadJoinedAsync(start, stoppingToken).ConfigureAwait(false))
            {
                Learn(record);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await snapshots.ConfigureAwait(false);
        await catalog.SaveModelsAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Updates the event's policy from one joined event.</summary>
    internal void Learn(JoinedRecord record)
    {
        var decision = record.Event.Decision;
        if (decision is null || catalog.Find(decision.Policy) is not { } state || record.Sequence <= state.LastSequence)
        {
            return;
        }

        var chosen = decision.ChosenIndex;
        if (chosen < 0 || chosen >= decision.Actions.Count || chosen >= decision.Probabilities.Count
            || decision.Probabilities[chosen] <= 0)
        {
            TrainingLog.EventSkipped(logger, record.Sequence, decision.Policy, "the chosen action or its probability is missing");
            state.Skipped(record.Sequence);
            return;
        }

        // Under the net-value objective the model learns reward − the chosen action's cost, so every algorithm's
        // scores (and its exploration) are in net value without a step of its own at decision time.
        var reward = record.Event.Reward;
        if (state.Settings.Constraints.Objective == Objective.NetValue)
        {
            reward -= decision.Actions[chosen].Cost;
        }

        using var features = DecisionFeatures.Encode(decision.Context, decision.Actions);
        lock (state.ModelLock)
        {
            state.Policy.Learn(features, chosen, reward, decision.Probabilities[chosen]);
            state.Learned(record.Sequence);
        }
    }

    private async Task SnapshotLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SnapshotInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await catalog.SaveModelsAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    TrainingLog.SnapshotFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
