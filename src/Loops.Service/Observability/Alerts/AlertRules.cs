using System.Globalization;
using Loops.Contracts.V1;

namespace Loops.Service.Observability.Alerts;

/// <summary>
/// The rules that raise a policy's alerts on the dashboard and in <c>GetPolicyTimeline</c>. Pure: everything they
/// look at is in <see cref="AlertInputs"/>.
/// </summary>
internal static class AlertRules
{
    /// <summary>The share of the budget spent from which the budget alert is raised.</summary>
    public const double BudgetWarningShare = 0.9;

    /// <summary>For how long after an automatic rollback its alert stays up.</summary>
    public static readonly TimeSpan RollbackAlertAge = TimeSpan.FromHours(24);

    public static IReadOnlyList<PolicyAlert> Evaluate(AlertInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var alerts = new List<PolicyAlert>();
        if (!inputs.FeedbackStoreReachable)
        {
            alerts.Add(Alert("feedback_store_unavailable", "critical", "The feedback store does not answer: decisions and rewards cannot be logged."));
        }

        if (inputs.Budget is { Amount: > 0 } budget && inputs.SpentThisPeriod >= BudgetWarningShare * budget.Amount)
        {
            alerts.Add(Alert(
                "budget_nearly_spent",
                inputs.SpentThisPeriod >= budget.Amount ? "critical" : "warning",
                Invariant($"{inputs.SpentThisPeriod / budget.Amount:P0} of the budget ({inputs.SpentThisPeriod:0.##} of {budget.Amount:0.##} per {budget.Period.TotalHours:0.##} h) is spent in this period.")));
        }

        if (inputs.Report is { } report)
        {
            if (report.NetValueUplift is { } net && net.Upper < 0)
            {
                alerts.Add(Alert(
                    "net_value_uplift_negative",
                    "critical",
                    Invariant($"Net value per decision is below the control group's: uplift {net.Estimate:0.###} (95% interval {net.Lower:0.###} to {net.Upper:0.###}).")));
            }

            if (report.RewardUplift is { } reward && reward.Upper < 0)
            {
                alerts.Add(Alert(
                    "reward_uplift_negative",
                    "warning",
                    Invariant($"Reward per decision is below the control group's: uplift {reward.Estimate:0.###} (95% interval {reward.Lower:0.###} to {reward.Upper:0.###}).")));
            }
        }

        if (inputs.LatestAudit is { Decision: "rolled_back", Actor: "trainer" } rollback
            && inputs.NowUnixMs - rollback.TimeUnixMs <= (long)RollbackAlertAge.TotalMilliseconds)
        {
            alerts.Add(Alert(
                "auto_rollback",
                "warning",
                Invariant($"The trainer rolled the live model back from version {rollback.FromVersion} to {rollback.ToVersion}: {rollback.Reason}")));
        }

        return alerts;
    }

    private static PolicyAlert Alert(string code, string severity, string message) => new() { Code = code, Severity = severity, Message = message };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
