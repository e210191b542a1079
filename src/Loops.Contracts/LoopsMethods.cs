using Grpc.Health.V1;
using Loops.Contracts.V1;
using Loops.Grpc;

namespace Loops.Contracts;

/// <summary>The gRPC methods of the Loops API, shared by the service, the client and the tools.</summary>
public static class LoopsMethods
{
    private const string DecisionService = "loops.v1.DecisionService";
    private const string PolicyAdmin = "loops.v1.PolicyAdmin";

    /// <summary><c>loops.v1.DecisionService/Decide</c>.</summary>
    public static readonly GrpcMethod<DecideRequest, DecideResponse> Decide =
        new(MethodType.Unary, DecisionService, "Decide", DecideRequest.Parser, DecideResponse.Parser, DecideRequestDecoder.Decode);

    /// <summary>
    /// <c>loops.v1.DecisionService/Decide</c> as the service answers it: the same call on the wire, its answer written
    /// straight from the logged decision (<see cref="DecideAnswer"/>).
    /// </summary>
    public static readonly GrpcMethod<DecideRequest, DecideAnswer> DecideAnswered =
        new(MethodType.Unary, DecisionService, "Decide", DecideRequest.Parser, DecideAnswer.Parser, DecideRequestDecoder.Decode);

    /// <summary><c>loops.v1.DecisionService/Reward</c>.</summary>
    public static readonly GrpcMethod<RewardRequest, RewardResponse> Reward =
        new(MethodType.Unary, DecisionService, "Reward", RewardRequest.Parser, RewardResponse.Parser);

    /// <summary><c>loops.v1.DecisionService/RewardStream</c>.</summary>
    public static readonly GrpcMethod<RewardRequest, RewardStreamResponse> RewardStream =
        new(MethodType.ClientStreaming, DecisionService, "RewardStream", RewardRequest.Parser, RewardStreamResponse.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/UpsertPolicy</c>.</summary>
    public static readonly GrpcMethod<UpsertPolicyRequest, Policy> UpsertPolicy =
        new(MethodType.Unary, PolicyAdmin, "UpsertPolicy", UpsertPolicyRequest.Parser, Policy.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/GetPolicy</c>.</summary>
    public static readonly GrpcMethod<GetPolicyRequest, Policy> GetPolicy =
        new(MethodType.Unary, PolicyAdmin, "GetPolicy", GetPolicyRequest.Parser, Policy.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/ListPolicies</c>.</summary>
    public static readonly GrpcMethod<ListPoliciesRequest, ListPoliciesResponse> ListPolicies =
        new(MethodType.Unary, PolicyAdmin, "ListPolicies", ListPoliciesRequest.Parser, ListPoliciesResponse.Parser);

    /// <summary><c>loops.v1.DecisionService/ReleaseDecision</c>.</summary>
    public static readonly GrpcMethod<ReleaseDecisionRequest, ReleaseDecisionResponse> ReleaseDecision =
        new(MethodType.Unary, DecisionService, "ReleaseDecision", ReleaseDecisionRequest.Parser, ReleaseDecisionResponse.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/ExplainDecision</c>.</summary>
    public static readonly GrpcMethod<ExplainDecisionRequest, DecisionExplanation> ExplainDecision =
        new(MethodType.Unary, PolicyAdmin, "ExplainDecision", ExplainDecisionRequest.Parser, DecisionExplanation.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/GetPolicyReport</c>.</summary>
    public static readonly GrpcMethod<GetPolicyReportRequest, PolicyReport> GetPolicyReport =
        new(MethodType.Unary, PolicyAdmin, "GetPolicyReport", GetPolicyReportRequest.Parser, PolicyReport.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/ListModels</c>.</summary>
    public static readonly GrpcMethod<ListModelsRequest, ListModelsResponse> ListModels =
        new(MethodType.Unary, PolicyAdmin, "ListModels", ListModelsRequest.Parser, ListModelsResponse.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/Promote</c>.</summary>
    public static readonly GrpcMethod<PromoteRequest, ModelVersion> Promote =
        new(MethodType.Unary, PolicyAdmin, "Promote", PromoteRequest.Parser, ModelVersion.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/Rollback</c>.</summary>
    public static readonly GrpcMethod<RollbackRequest, ModelVersion> Rollback =
        new(MethodType.Unary, PolicyAdmin, "Rollback", RollbackRequest.Parser, ModelVersion.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/ExportModel</c>.</summary>
    public static readonly GrpcMethod<ExportModelRequest, ExportedModel> ExportModel =
        new(MethodType.Unary, PolicyAdmin, "ExportModel", ExportModelRequest.Parser, ExportedModel.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/ImportModel</c>.</summary>
    public static readonly GrpcMethod<ImportModelRequest, ModelVersion> ImportModel =
        new(MethodType.Unary, PolicyAdmin, "ImportModel", ImportModelRequest.Parser, ModelVersion.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/ListEvaluations</c>.</summary>
    public static readonly GrpcMethod<ListEvaluationsRequest, ListEvaluationsResponse> ListEvaluations =
        new(MethodType.Unary, PolicyAdmin, "ListEvaluations", ListEvaluationsRequest.Parser, ListEvaluationsResponse.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/GetPolicyTimeline</c>.</summary>
    public static readonly GrpcMethod<GetPolicyTimelineRequest, PolicyTimeline> GetPolicyTimeline =
        new(MethodType.Unary, PolicyAdmin, "GetPolicyTimeline", GetPolicyTimelineRequest.Parser, PolicyTimeline.Parser);

    /// <summary><c>loops.v1.PolicyAdmin/ListRecentDecisions</c>.</summary>
    public static readonly GrpcMethod<ListRecentDecisionsRequest, ListRecentDecisionsResponse> ListRecentDecisions =
        new(MethodType.Unary, PolicyAdmin, "ListRecentDecisions", ListRecentDecisionsRequest.Parser, ListRecentDecisionsResponse.Parser);

    /// <summary><c>grpc.health.v1.Health/Check</c>.</summary>
    public static readonly GrpcMethod<HealthCheckRequest, HealthCheckResponse> HealthCheck =
        new(MethodType.Unary, "grpc.health.v1.Health", "Check", HealthCheckRequest.Parser, HealthCheckResponse.Parser);

    /// <summary><c>loops.v1.Diagnostics/Echo</c>: the transport's baseline for load tests.</summary>
    public static readonly GrpcMethod<EchoMessage, EchoMessage> Echo =
        new(MethodType.Unary, "loops.v1.Diagnostics", "Echo", EchoMessage.Parser, EchoMessage.Parser);
}
