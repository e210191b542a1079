using System.Globalization;
using Loops.Contracts.V1;
using Loops.Feedback;
using Loops.Grpc;

namespace Loops.Service.Hosting.Redis;

/// <summary>
/// Answers a store's <see cref="FeedbackUnavailableException"/> (Redis down and the spool full) with RESOURCE_EXHAUSTED
/// and a retry hint, rather than an internal error: the client should back off and retry.
/// </summary>
internal sealed class UnavailableAsStatusStore(IFeedbackStore inner) : IFeedbackStore
{
    public async ValueTask RecordDecisionAsync(DecisionEvent decision, CancellationToken cancellationToken)
    {
        try
        {
            await inner.RecordDecisionAsync(decision, cancellationToken).ConfigureAwait(false);
        }
        catch (FeedbackUnavailableException exception)
        {
            throw ToStatus(exception);
        }
    }

    public async ValueTask<DecideResponse> RecordDecisionOnceAsync(DecisionEvent decision, DecideResponse response, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.RecordDecisionOnceAsync(decision, response, cancellationToken).ConfigureAwait(false);
        }
        catch (FeedbackUnavailableException exception)
        {
            throw ToStatus(exception);
        }
    }

    public async ValueTask<DecideResponse> RecordDecisionOnceAsync(
        DecisionEvent decision, ReadOnlyMemory<byte> encodedDecision, DecideResponse response, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.RecordDecisionOnceAsync(decision, encodedDecision, response, cancellationToken).ConfigureAwait(false);
        }
        catch (FeedbackUnavailableException exception)
        {
            throw ToStatus(exception);
        }
    }

    public async ValueTask<bool> RecordRewardAsync(RewardEvent reward, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.RecordRewardAsync(reward, cancellationToken).ConfigureAwait(false);
        }
        catch (FeedbackUnavailableException exception)
        {
            throw ToStatus(exception);
        }
    }

    public async ValueTask<int> RecordRewardsAsync(IReadOnlyList<RewardEvent> rewards, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.RecordRewardsAsync(rewards, cancellationToken).ConfigureAwait(false);
        }
        catch (FeedbackUnavailableException exception)
        {
            throw ToStatus(exception);
        }
    }

    public IAsyncEnumerable<JoinedRecord> ReadJoinedAsync(long afterSequence, CancellationToken cancellationToken) =>
        inner.ReadJoinedAsync(afterSequence, cancellationToken);

    public FeedbackStats GetStats() => inner.GetStats();

    // Forwarded explicitly: the interface's default bodies would otherwise hide the inner store's answers.
    public ValueTask<FeedbackStoreHealth> CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

    public ValueTask<DecisionEvent?> FindPendingDecisionAsync(string eventId, CancellationToken cancellationToken) =>
        inner.FindPendingDecisionAsync(eventId, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static GrpcException ToStatus(FeedbackUnavailableException exception) => new(
        StatusCode.ResourceExhausted,
        string.Create(CultureInfo.InvariantCulture, $"{exception.Message} (retry after {(long)exception.RetryAfter.TotalMilliseconds} ms)"));
}
