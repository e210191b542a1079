using System.Security.Claims;
using Loops.Contracts.V1;
using Loops.Grpc;
using Loops.Service.Admin;
using Loops.Service.Observability;

namespace Loops.Service.Dashboard;

/// <summary>
/// The dashboard's JSON endpoints. Each calls the class behind the matching PolicyAdmin RPC, so what a page shows is
/// what the API returns; errors keep the API's message with the matching HTTP status.
/// </summary>
internal sealed class DashboardApi(
    PolicyAdmin policies, ModelAdmin models, DecisionInsights insights, PolicyTimelines timelines, PolicyReportTally tally)
{
    private const int RecentDecisions = 20;

    /// <summary>Every policy with its economics (from the tally of the joined log, as <c>GetPolicyReport</c> with no start time), last hour's traffic and alerts.</summary>
    public async Task<IResult> ListAsync(CancellationToken cancellationToken)
    {
        var list = await policies.ListAsync().ConfigureAwait(false);
        using var json = new DashboardJson();
        json.StartArray("policies");
        foreach (var policy in list.Policies)
        {
            var timeline = await timelines.TimelineAsync(
                new GetPolicyTimelineRequest { Policy = policy.Name, BucketSeconds = 3600, SinceUnixMs = long.MaxValue },
                cancellationToken).ConfigureAwait(false);
            json.StartObject()
                .Add("policy", policy)
                .Add("report", tally.Report(policy.Name) ?? new PolicyReport { Policy = policy.Name, Treatment = new(), Control = new() })
                .Add("timeline", timeline)
                .EndObject();
        }

        json.EndArray();
        return json.ToResult();
    }

    /// <summary>One policy: settings, report, model versions, audit trail and recent decisions with explanations.</summary>
    public Task<IResult> PolicyAsync(string name, CancellationToken cancellationToken) => Guard(async () =>
    {
        var policy = await policies.GetAsync(new GetPolicyRequest { Name = name }).ConfigureAwait(false);
        var report = await insights.ReportAsync(new GetPolicyReportRequest { Policy = name }, cancellationToken).ConfigureAwait(false);
        var versions = await models.ListModelsAsync(new ListModelsRequest { Policy = name }, cancellationToken).ConfigureAwait(false);
        var audit = await models.ListEvaluationsAsync(new ListEvaluationsRequest { Policy = name }, cancellationToken).ConfigureAwait(false);
        var recent = await insights.RecentAsync(new ListRecentDecisionsRequest { Policy = name, Limit = RecentDecisions }).ConfigureAwait(false);
        using var json = new DashboardJson();
        return json.Add("policy", policy).Add("report", report).Add("models", versions).Add("evaluations", audit).Add("recent", recent).ToResult();
    });

    /// <summary>The policy's timeline (GetPolicyTimeline).</summary>
    public Task<IResult> TimelineAsync(string name, long bucketSeconds, string? segment, CancellationToken cancellationToken) => Guard(async () =>
        DashboardJson.Message(await timelines.TimelineAsync(
            new GetPolicyTimelineRequest { Policy = name, BucketSeconds = bucketSeconds, SegmentFeature = segment ?? string.Empty },
            cancellationToken).ConfigureAwait(false)));

    /// <summary>Promotes a version; the logged-in user is the audit actor.</summary>
    public Task<IResult> PromoteAsync(string name, long version, ClaimsPrincipal user, CancellationToken cancellationToken) => Guard(async () =>
        DashboardJson.Message(await models.PromoteAsync(
            new PromoteRequest { Policy = name, Version = version, Actor = ActorOf(user) }, cancellationToken).ConfigureAwait(false)));

    /// <summary>Rolls back to the previous live version; the logged-in user is the audit actor.</summary>
    public Task<IResult> RollbackAsync(string name, ClaimsPrincipal user, CancellationToken cancellationToken) => Guard(async () =>
        DashboardJson.Message(await models.RollbackAsync(
            new RollbackRequest { Policy = name, Actor = ActorOf(user) }, cancellationToken).ConfigureAwait(false)));

    private static string ActorOf(ClaimsPrincipal user) => user.Identity?.Name ?? string.Empty;

    private static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (GrpcException ex)
        {
            var status = ex.Status switch
            {
                StatusCode.NotFound => StatusCodes.Status404NotFound,
                StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
                StatusCode.FailedPrecondition => StatusCodes.Status409Conflict,
                StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status500InternalServerError,
            };
            return Results.Json(new DashboardError(ex.Message), DashboardJsonContext.Default.DashboardError, statusCode: status);
        }
    }
}
