using Loops.Constraints;
using Loops.Contracts.V1;
using Loops.Feedback;
using Loops.Service.Observability.Timeline;

namespace Loops.Service.Observability;

/// <summary>
/// Follows the joined-event log and keeps each policy's economics report (spend, revenue, uplift against the control
/// group) up to date, so that metrics can export it on every scrape without re-reading the log; and each policy's
/// timeline (buckets over time, action mix per segment) for <c>GetPolicyTimeline</c> and the dashboard.
/// </summary>
internal sealed class PolicyReportTally(IFeedbackStore store) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PolicyReportBuilder> _builders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicyTimelineTally> _timelines = new(StringComparer.Ordinal);

    /// <summary>The current report of every policy seen in the joined log.</summary>
    public IReadOnlyList<PolicyReport> Reports()
    {
        lock (_gate)
        {
            return [.. _builders.Values.Select(builder => builder.Build())];
        }
    }

    /// <summary>The current report of one policy, or null when none of its decisions was joined yet.</summary>
    public PolicyReport? Report(string policy)
    {
        lock (_gate)
        {
            return _builders.TryGetValue(policy, out var builder) ? builder.Build() : null;
        }
    }

    /// <summary>A policy's timeline (an empty one when none of its decisions was joined yet), without alerts.</summary>
    public PolicyTimeline Timeline(GetPolicyTimelineRequest request, long nowUnixMs)
    {
        lock (_gate)
        {
            return _timelines.TryGetValue(request.Policy, out var timeline)
                ? timeline.Build(request, nowUnixMs)
                : new PolicyTimelineTally().Build(request, nowUnixMs);
        }
    }

    /// <summary>The spend of a policy's joined decisions made at or after a time.</summary>
    public double SpendSince(string policy, long sinceUnixMs)
    {
        lock (_gate)
        {
            return _timelines.TryGetValue(policy, out var timeline) ? timeline.SpendSince(sinceUnixMs) : 0;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var record in store.ReadJoinedAsync(0, stoppingToken).ConfigureAwait(false))
            {
                if (record.Event.Decision is not { } decision)
                {
                    continue;
                }

                lock (_gate)
                {
                    if (!_builders.TryGetValue(decision.Policy, out var builder))
                    {
                        builder = new PolicyReportBuilder(decision.Policy);
                        _builders.Add(decision.Policy, builder);
                    }

                    builder.Add(record.Event);
                    if (!_timelines.TryGetValue(decision.Policy, out var timeline))
                    {
                        timeline = new PolicyTimelineTally();
                        _timelines.Add(decision.Policy, timeline);
                    }

                    timeline.Add(record.Event);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
