using Loops.Contracts;
using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>
/// Records decisions and rewards durably and joins each decision with the rewards received for it
/// within its reward window; the joined events are the training data.
/// </summary>
public interface IFeedbackStore : IAsyncDisposable
{
    /// <summary>
    /// Records a decision; completes once the record is written to the operating system (it survives a kill -9
    /// of the process). From then on the decision waits for rewards until its <see cref="DecisionEvent.JoinDeadlineUnixMs"/>.
    /// </summary>
    /// <param name="decision">The decision; the store keeps the instance, so it must not be changed afterwards.</param>
    /// <param name="cancellationToken">Observed until the record is accepted; an accepted record is always written.</param>
    ValueTask RecordDecisionAsync(DecisionEvent decision, CancellationToken cancellationToken);

    /// <summary>
    /// Records a decision once per event id: when a decision with the same event id was recorded within its reward
    /// window (a retried Decide), nothing is recorded and the response given then is returned instead.
    /// </summary>
    /// <param name="decision">The decision; the store keeps the instance, so it must not be changed afterwards.</param>
    /// <param name="response">The answer to the caller for this decision, kept to answer retries with.</param>
    /// <param name="cancellationToken">Observed until the record is accepted; an accepted record is always written.</param>
    /// <returns>The response to send: <paramref name="response"/>, or the original one for a retry.</returns>
    /// <exception cref="FeedbackUnavailableException">The store cannot accept records now; retry later.</exception>
    ValueTask<DecideResponse> RecordDecisionOnceAsync(DecisionEvent decision, DecideResponse response, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="RecordDecisionOnceAsync(DecisionEvent, DecideResponse, CancellationToken)"/>, with the decision
    /// already encoded by the caller (who needs the bytes too): a store that keeps bytes copies these rather than
    /// encoding the decision again. The bytes are not used after the returned task completes.
    /// </summary>
    /// <param name="decision">The decision; the store keeps the instance, so it must not be changed afterwards.</param>
    /// <param name="encodedDecision">The decision's protobuf encoding.</param>
    /// <param name="response">The answer to the caller for this decision, kept to answer retries with.</param>
    /// <param name="cancellationToken">Observed until the record is accepted; an accepted record is always written.</param>
    /// <returns>The response to send: <paramref name="response"/>, or the original one for a retry.</returns>
    /// <exception cref="FeedbackUnavailableException">The store cannot accept records now; retry later.</exception>
    ValueTask<DecideResponse> RecordDecisionOnceAsync(
        DecisionEvent decision, ReadOnlyMemory<byte> encodedDecision, DecideResponse response, CancellationToken cancellationToken) =>
        RecordDecisionOnceAsync(decision, response, cancellationToken);

    /// <summary>
    /// Records a decision once per event id, like <see cref="RecordDecisionOnceAsync(DecisionEvent, ReadOnlyMemory{byte}, DecideResponse, CancellationToken)"/>,
    /// without a response made beforehand: a retry's answer is made from the original's record, and a new decision's
    /// from the decision itself (<see cref="DecisionResponses"/>), so a caller that writes its answer straight from the
    /// decision builds no response object at all.
    /// </summary>
    /// <param name="decision">The decision; the store keeps the instance, so it must not be changed afterwards.</param>
    /// <param name="encodedDecision">The decision's protobuf encoding, or empty. The bytes are not used after the returned task completes.</param>
    /// <param name="cancellationToken">Observed until the record is accepted; an accepted record is always written.</param>
    /// <returns>Null once this decision is recorded; for a retry, the original's response (or null when it cannot be
    /// read back, and the retry is answered from its own decision).</returns>
    /// <exception cref="FeedbackUnavailableException">The store cannot accept records now; retry later.</exception>
    async ValueTask<DecideResponse?> RecordDecisionOrFindOriginalAsync(
        DecisionEvent decision, ReadOnlyMemory<byte> encodedDecision, CancellationToken cancellationToken)
    {
        var response = DecisionResponses.Of(decision);
        var answer = await RecordDecisionOnceAsync(decision, encodedDecision, response, cancellationToken).ConfigureAwait(false);
        return ReferenceEquals(answer, response) ? null : answer;
    }

    /// <summary>
    /// Records a reward with the same durability guarantee. A reward for an unknown event id is kept as an orphan
    /// (bounded in time and count) and joined if its decision arrives later; an unknown id is never an error.
    /// </summary>
    /// <param name="reward">The reward.</param>
    /// <param name="cancellationToken">Observed until the record is accepted; an accepted record is always written.</param>
    /// <returns>True when the reward's decision is pending (known and its window still open).</returns>
    ValueTask<bool> RecordRewardAsync(RewardEvent reward, CancellationToken cancellationToken);

    /// <summary>
    /// Records several rewards, in order, each as <see cref="RecordRewardAsync"/> would: completes once all are
    /// written. A store that writes batches (Redis) takes them as one unit, without a task per reward.
    /// </summary>
    /// <param name="rewards">The rewards; the store keeps the instances, so they must not be changed afterwards.</param>
    /// <param name="cancellationToken">Observed until the records are accepted; an accepted record is always written.</param>
    /// <returns>How many of the rewards' decisions are pending (known and their window still open).</returns>
    async ValueTask<int> RecordRewardsAsync(IReadOnlyList<RewardEvent> rewards, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rewards);

        // All started before any is awaited: a store that groups concurrent writes still gets them together.
        var recording = new Task<bool>[rewards.Count];
        for (var i = 0; i < recording.Length; i++)
        {
            recording[i] = RecordRewardAsync(rewards[i], cancellationToken).AsTask();
        }

        var found = 0;
        foreach (var reward in recording)
        {
            found += await reward.ConfigureAwait(false) ? 1 : 0;
        }

        return found;
    }

    /// <summary>
    /// Streams joined events in join order, starting after <paramref name="afterSequence"/>: first those already
    /// stored, then new ones as they are joined. The stream ends (without an exception) when
    /// <paramref name="cancellationToken"/> is cancelled or the store is disposed.
    /// </summary>
    /// <param name="afterSequence">The last sequence number the caller has already seen (0 to read from the start).</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <remarks>Readers may be handed the same event instances: they must not change them.</remarks>
    IAsyncEnumerable<JoinedRecord> ReadJoinedAsync(long afterSequence, CancellationToken cancellationToken);

    /// <summary>Returns a consistent snapshot of the store's counters and gauges.</summary>
    FeedbackStats GetStats();

    /// <summary>
    /// Finds a decision that still waits for its reward window to close, by event id (for explanations); null when
    /// the store does not know it or does not index decisions.
    /// </summary>
    /// <param name="eventId">The decision's event id.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    ValueTask<DecisionEvent?> FindPendingDecisionAsync(string eventId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DecisionEvent?>(null);

    /// <summary>
    /// Tells whether the store can take records now (readiness). A store kept in local files is ready once open;
    /// a networked store checks that its server answers.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Whether it is reachable, and a short description for operators.</returns>
    ValueTask<FeedbackStoreHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new FeedbackStoreHealth(IsReachable: true, "local files"));
}
