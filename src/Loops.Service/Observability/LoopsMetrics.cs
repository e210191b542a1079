using System.Diagnostics;
using System.Diagnostics.Metrics;
using Loops.Contracts.V1;
using Loops.Feedback;
using Loops.Training;

namespace Loops.Service.Observability;

/// <summary>
/// The service's own instruments (meter <c>Loops</c>): decisions and their latency per policy, rewards, and gauges
/// read from the feedback store and the policy catalogue when metrics are collected. Exported on <c>/metrics</c>.
/// </summary>
internal sealed class LoopsMetrics : IDisposable
{
    /// <summary>The meter's name, for exporters to subscribe to.</summary>
    public const string MeterName = "Loops";

    private readonly Meter _meter;
    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _decideDuration;
    private readonly Counter<long> _rewards;
    private readonly Counter<long> _groupDecisions;
    private readonly UpDownCounter<double> _spend;
    private readonly Counter<long> _masked;

    public LoopsMetrics(IMeterFactory meterFactory, IFeedbackStore store, PolicyCatalog catalog, PolicyReportTally reports)
    {
        _meter = meterFactory.Create(MeterName);
        _decisions = _meter.CreateCounter<long>("loops.decisions", "{decision}", "Decisions made, by policy.");
        _decideDuration = _meter.CreateHistogram<double>(
            "loops.decide.duration",
            unit: "s",
            description: "Time to make and log a decision, by policy.",
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
            });
        _rewards = _meter.CreateCounter<long>(
            "loops.rewards", "{reward}", "Rewards accepted; matched tells whether their decision was waiting for them.");

        _groupDecisions = _meter.CreateCounter<long>(
            "loops.decisions.group", "{decision}", "Decisions by policy and group (treatment or control).");
        _spend = _meter.CreateUpDownCounter<double>(
            "loops.constraints.spend", "{currency}", "Bonus cost reserved by decisions, less released decisions, by policy.");
        _masked = _meter.CreateCounter<long>(
            "loops.constraints.masked", "{action}", "Actions masked by a constraint rule, by policy and rule.");

        _meter.CreateObservableCounter("loops.feedback.joined", () => store.GetStats().Joined, "{event}", "Decisions joined with their outcome.");
        _meter.CreateObservableCounter(
            "loops.feedback.default_rewards", () => store.GetStats().DefaultRewarded, "{event}", "Joined decisions that got the default reward.");
        _meter.CreateObservableCounter(
            "loops.feedback.orphan_rewards", () => store.GetStats().OrphanRewards, "{reward}", "Rewards that arrived before (or without) their decision.");
        _meter.CreateObservableCounter(
            "loops.feedback.late_rewards", () => store.GetStats().LateRewards, "{reward}", "Rewards that arrived after their window closed.");
        _meter.CreateObservableGauge(
            "loops.feedback.pending_joins", () => store.GetStats().PendingJoins, "{decision}", "Decisions waiting for their reward window to close.");
        _meter.CreateObservableGauge(
            "loops.feedback.join_lag", () => JoinLagSeconds(store.GetStats()), "s", "How long the oldest overdue decision has waited to be joined.");
        _meter.CreateObservableGauge(
            "loops.policy.reward_uplift",
            () => UpliftMeasurements(reports, report => report.RewardUplift),
            "{reward}",
            "Mean reward of the policy's decisions minus the control group's, with the bounds of its 95% interval.");
        _meter.CreateObservableGauge(
            "loops.policy.net_value_uplift",
            () => UpliftMeasurements(reports, report => report.NetValueUplift),
            "{currency}",
            "Mean net value (reward − bonus cost) of the policy's decisions minus the control group's, with its 95% interval.");
        _meter.CreateObservableCounter(
            "loops.policy.bonus_spend",
            () => GroupMeasurements(reports, group => group.Spend),
            "{currency}",
            "Cost of the chosen actions of joined decisions, by group (treatment, control).");
        _meter.CreateObservableCounter(
            "loops.policy.revenue",
            () => GroupMeasurements(reports, group => group.Revenue),
            "{currency}",
            "Rewards of joined decisions, by group (treatment, control).");
        _meter.CreateObservableGauge(
            "loops.policy.model_version", () => PerPolicy(catalog, state => state.ModelVersion), "{version}", "The live model version of each policy.");
        _meter.CreateObservableCounter(
            "loops.policy.events_learned", () => PerPolicy(catalog, state => state.EventsLearned), "{event}", "Joined events each policy learned from.");
    }

    /// <summary>Counts a decision and its latency from <paramref name="startedTimestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void Decided(string policy, long startedTimestamp)
    {
        var tag = new KeyValuePair<string, object?>("policy", policy);
        _decisions.Add(1, tag);
        if (_decideDuration.Enabled)
        {
            _decideDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, tag);
        }
    }

    /// <summary>Counts accepted rewards.</summary>
    public void Rewarded(long count, bool matched) =>
        _rewards.Add(count, new KeyValuePair<string, object?>("matched", matched));

    /// <summary>Counts a decision's group, the cost it reserved and the rules that masked its actions.</summary>
    public void Constrained(DecisionEvent decision)
    {
        var policy = new KeyValuePair<string, object?>("policy", decision.Policy);
        _groupDecisions.Add(1, policy, new KeyValuePair<string, object?>("group", decision.Control ? "control" : "treatment"));
        if (decision.ChosenCost != 0)
        {
            _spend.Add(decision.ChosenCost, policy);
        }

        foreach (var masked in decision.Masked)
        {
            foreach (var rule in masked.RuleIds)
            {
                _masked.Add(1, policy, new KeyValuePair<string, object?>("rule", rule));
            }
        }
    }

    /// <summary>Takes a released decision's cost off the spend.</summary>
    public void Released(string policy, double cost) => _spend.Add(-cost, new KeyValuePair<string, object?>("policy", policy));

    public void Dispose() => _meter.Dispose();

    private static double JoinLagSeconds(FeedbackStats stats)
    {
        if (stats.EarliestDeadlineUnixMs is 0 or long.MaxValue)
        {
            return 0;
        }

        var overdueMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - stats.EarliestDeadlineUnixMs;
        return Math.Max(0, overdueMs) / 1000.0;
    }

    private static IEnumerable<Measurement<long>> PerPolicy(PolicyCatalog catalog, Func<PolicyState, long> value) =>
        catalog.All.Select(state => new Measurement<long>(value(state), new KeyValuePair<string, object?>("policy", state.Settings.Name)));

    private static IEnumerable<Measurement<double>> UpliftMeasurements(PolicyReportTally reports, Func<PolicyReport, Uplift?> uplift)
    {
        foreach (var report in reports.Reports())
        {
            if (report.Control is not { Decisions: > 0 } || uplift(report) is not { } value)
            {
                continue;
            }

            var policy = new KeyValuePair<string, object?>("policy", report.Policy);
            yield return new Measurement<double>(value.Estimate, policy, new KeyValuePair<string, object?>("bound", "estimate"));
            yield return new Measurement<double>(value.Lower, policy, new KeyValuePair<string, object?>("bound", "lower"));
            yield return new Measurement<double>(value.Upper, policy, new KeyValuePair<string, object?>("bound", "upper"));
        }
    }

    private static IEnumerable<Measurement<double>> GroupMeasurements(PolicyReportTally reports, Func<GroupReport, double> value)
    {
        foreach (var report in reports.Reports())
        {
            var policy = new KeyValuePair<string, object?>("policy", report.Policy);
            yield return new Measurement<double>(value(report.Treatment), policy, new KeyValuePair<string, object?>("group", "treatment"));
            yield return new Measurement<double>(value(report.Control), policy, new KeyValuePair<string, object?>("group", "control"));
        }
    }
}
