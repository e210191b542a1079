using Loops.Constraints;
using Loops.Contracts.V1;
using Loops.Feedback;
using Loops.Service.Decisions;
using Loops.Service.Observability;
using Loops.Service.Observability.Alerts;
using Loops.Training;

namespace Loops.Service.Admin;

/// <summary>PolicyAdmin's GetPolicyTimeline: a policy over time from the tally of the joined log, with its alerts.</summary>
internal sealed class PolicyTimelines(PolicyCatalog catalog, PolicyReportTally tally, AuditLog audit, IFeedbackStore store, TimeProvider time)
{
    private static readonly long MaxBucketSeconds = (long)TimeSpan.FromDays(366).TotalSeconds;

    public async ValueTask<PolicyTimeline> TimelineAsync(GetPolicyTimelineRequest request, CancellationToken cancellationToken)
    {
        if (request.Policy.Length == 0)
        {
            throw GrpcErrors.Invalid("policy is empty; name the policy.");
        }

        if (request.BucketSeconds < 0 || request.BucketSeconds > MaxBucketSeconds)
        {
            throw GrpcErrors.Invalid($"bucket_seconds must be between 0 (automatic) and {MaxBucketSeconds}, got {request.BucketSeconds}.");
        }

        var state = catalog.Find(request.Policy) ?? throw GrpcErrors.PolicyNotFound(request.Policy);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var timeline = tally.Timeline(request, now);
        var health = await store.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        var latest = await audit.RecentAsync(request.Policy, 1, cancellationToken).ConfigureAwait(false);
        var budget = state.Settings.Constraints.Budget;
        var spent = budget is null ? 0 : tally.SpendSince(request.Policy, Pacing.PeriodIndex(now, budget.Period) * (long)budget.Period.TotalMilliseconds);
        timeline.Alerts.Add(AlertRules.Evaluate(new AlertInputs(
            tally.Report(request.Policy), budget, spent, latest.Count > 0 ? latest[0] : null, health.IsReachable, now)));
        return timeline;
    }
}
