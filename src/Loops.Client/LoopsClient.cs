using Grpc.Health.V1;
using Loops.Contracts;
using Loops.Contracts.V1;
using Loops.Grpc;

namespace Loops.Client;

/// <summary>
/// Calls a Loops service: decisions, rewards and policy administration. Thread-safe; create one per service
/// address and share it. Failed calls throw <see cref="GrpcException"/> with the service's status and message.
/// </summary>
public sealed class LoopsClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly LoopsClientOptions _options;

    /// <summary>Connects to a service address such as <c>http://127.0.0.1:5000</c>.</summary>
    public LoopsClient(Uri address, LoopsClientOptions? options = null)
    {
        _channel = GrpcChannel.ForAddress(address);
        _options = options ?? new LoopsClientOptions();
    }

    /// <summary>Asks the policy for a decision among the candidate actions (or its catalogue).</summary>
    public Task<DecideResponse> DecideAsync(DecideRequest request, CancellationToken cancellationToken = default) =>
        _channel.UnaryAsync(LoopsMethods.Decide, request, Options(cancellationToken));

    /// <summary>Reports the outcome of a decision.</summary>
    public Task<RewardResponse> RewardAsync(string eventId, double value, CancellationToken cancellationToken = default) =>
        _channel.UnaryAsync(LoopsMethods.Reward, new RewardRequest { EventId = eventId, Value = value }, Options(cancellationToken));

    /// <summary>Reports the outcome of a decision; give it a <c>reward_id</c> so that retrying it counts once.</summary>
    public Task<RewardResponse> RewardAsync(RewardRequest request, CancellationToken cancellationToken = default) =>
        _channel.UnaryAsync(LoopsMethods.Reward, request, Options(cancellationToken));

    /// <summary>Reports many outcomes over one stream; complete the call to get the count accepted.</summary>
    public ClientStreamingCall<RewardRequest, RewardStreamResponse> StartRewardStream(CancellationToken cancellationToken = default) =>
        _channel.ClientStreaming(LoopsMethods.RewardStream, new CallOptions { Headers = _options.Headers, CancellationToken = cancellationToken });

    /// <summary>Frees the cap and budget reservations of a decision whose bonus was never given.</summary>
    public async Task<bool> ReleaseDecisionAsync(string eventId, CancellationToken cancellationToken = default)
    {
        var response = await _channel.UnaryAsync(
            LoopsMethods.ReleaseDecision, new ReleaseDecisionRequest { EventId = eventId }, Options(cancellationToken)).ConfigureAwait(false);
        return response.Released;
    }

    /// <summary>Tells why a decision came out as it did.</summary>
    public Task<DecisionExplanation> ExplainDecisionAsync(string eventId, CancellationToken cancellationToken = default) =>
        _channel.UnaryAsync(LoopsMethods.ExplainDecision, new ExplainDecisionRequest { EventId = eventId }, Options(cancellationToken));

    /// <summary>Gets the bonus economics of a policy: spend, revenue, net value and uplift against the control group.</summary>
    public Task<PolicyReport> GetPolicyReportAsync(string policy, long sinceUnixMs = 0, CancellationToken cancellationToken = default) =>
        _channel.UnaryAsync(
            LoopsMethods.GetPolicyReport, new GetPolicyReportRequest { Policy = policy, SinceUnixMs = sinceUnixMs }, Options(cancellationToken));

    /// <summary>Creates a policy or changes its settings; the learned model is kept.</summary>
    public Task<Policy> UpsertPolicyAsync(Policy policy, CancellationToken cancellationToken = default) =>
        _channel.UnaryAsync(LoopsMethods.UpsertPolicy, new UpsertPolicyRequest { Policy = policy }, Options(cancellationToken));

    /// <summary>Gets a policy with its live model version and the number of events it learned from.</summary>
    public Task<Policy> GetPolicyAsync(string name, CancellationToken cancellationToken = default) =>
        _channel.UnaryAsync(LoopsMethods.GetPolicy, new GetPolicyRequest { Name = name }, Options(cancellationToken));

    /// <summary>Lists every policy.</summary>
    public async Task<IReadOnlyList<Policy>> ListPoliciesAsync(CancellationToken cancellationToken = default)
    {
        var response = await _channel.UnaryAsync(LoopsMethods.ListPolicies, new ListPoliciesRequest(), Options(cancellationToken))
            .ConfigureAwait(false);
        return response.Policies;
    }

    /// <summary>Lists a policy's stored model versions, oldest first.</summary>
    public async Task<IReadOnlyList<ModelVersion>> ListModelsAsync(string policy, CancellationToken cancellationToken = default)
    {
        var response = await _channel.UnaryAsync(LoopsMethods.ListModels, new ListModelsRequest { Policy = policy }, Options(cancellationToken))
            .ConfigureAwait(false);
        return response.Models;
    }

    /// <summary>A stored model version as a model file's bytes; version 0 is the live one.</summary>
    public async Task<byte[]> ExportModelAsync(string policy, long version = 0, CancellationToken cancellationToken = default)
    {
        var exported = await _channel.UnaryAsync(LoopsMethods.ExportModel, new ExportModelRequest { Policy = policy, Version = version }, Options(cancellationToken))
            .ConfigureAwait(false);
        return exported.ModelFile.ToByteArray();
    }

    /// <summary>Stores a model file as a new version of the policy (not live until promoted).</summary>
    public Task<ModelVersion> ImportModelAsync(string policy, byte[] modelFile, string actor = "", CancellationToken cancellationToken = default) =>
        _channel.UnaryAsync(
            LoopsMethods.ImportModel,
            new ImportModelRequest { Policy = policy, ModelFile = Google.Protobuf.ByteString.CopyFrom(modelFile), Actor = actor },
            Options(cancellationToken));

    /// <summary>Makes a stored model version of a policy live.</summary>
    public Task<ModelVersion> PromoteAsync(string policy, long version, string actor = "", CancellationToken cancellationToken = default) =>
        _channel.UnaryAsync(LoopsMethods.Promote, new PromoteRequest { Policy = policy, Version = version, Actor = actor }, Options(cancellationToken));

    /// <summary>Makes the previously live model version of a policy live again.</summary>
    public Task<ModelVersion> RollbackAsync(string policy, string actor = "", CancellationToken cancellationToken = default) =>
        _channel.UnaryAsync(LoopsMethods.Rollback, new RollbackRequest { Policy = policy, Actor = actor }, Options(cancellationToken));

    /// <summary>Lists a policy's audit records (evaluations, promotions, rollbacks), newest first.</summary>
    public async Task<IReadOnlyList<Evaluation>> ListEvaluationsAsync(string policy, int limit = 0, CancellationToken cancellationToken = default)
    {
        var response = await _channel.UnaryAsync(LoopsMethods.ListEvaluations, new ListEvaluationsRequest { Policy = policy, Limit = limit }, Options(cancellationToken))
            .ConfigureAwait(false);
        return response.Evaluations;
    }

    /// <summary>Gets a policy over time: per bucket the treatment and control groups and the action mix, the action mix per segment, traffic and alerts.</summary>
    public Task<PolicyTimeline> GetPolicyTimelineAsync(GetPolicyTimelineRequest request, CancellationToken cancellationToken = default) =>
        _channel.UnaryAsync(LoopsMethods.GetPolicyTimeline, request, Options(cancellationToken));

    /// <summary>Lists a policy's most recent decisions on the replica, newest first, with their explanations.</summary>
    public async Task<IReadOnlyList<DecisionExplanation>> ListRecentDecisionsAsync(string policy, int limit = 0, CancellationToken cancellationToken = default)
    {
        var response = await _channel.UnaryAsync(
            LoopsMethods.ListRecentDecisions, new ListRecentDecisionsRequest { Policy = policy, Limit = limit }, Options(cancellationToken)).ConfigureAwait(false);
        return response.Decisions;
    }

    /// <summary>True when the service reports itself serving (grpc.health.v1).</summary>
    public async Task<bool> IsServingAsync(CancellationToken cancellationToken = default)
    {
        var response = await _channel.UnaryAsync(LoopsMethods.HealthCheck, new HealthCheckRequest(), Options(cancellationToken))
            .ConfigureAwait(false);
        return response.Status == HealthCheckResponse.Types.ServingStatus.Serving;
    }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();

    private CallOptions Options(CancellationToken cancellationToken) => new()
    {
        Timeout = _options.Timeout,
        Headers = _options.Headers,
        CancellationToken = cancellationToken,
    };
}
