using Loops.Constraints;
using Loops.Contracts.V1;
using Loops.Service.Observability.Alerts;

namespace Loops.Dashboard.Tests;

public sealed class AlertRulesTests
{
    private const long Now = 1_764_633_600_000;
    private static readonly BudgetLimit DailyBudget = new(1000, TimeSpan.FromDays(1), Pacing: false, BurstShare: 0);

    private static IReadOnlyList<string> Codes(AlertInputs inputs) => [.. AlertRules.Evaluate(inputs).Select(alert => alert.Code)];

    [Fact]
    public void A_healthy_policy_has_no_alerts() =>
        Assert.Empty(Codes(new AlertInputs(Report(-1, 1), DailyBudget, 100, null, FeedbackStoreReachable: true, Now)));

    [Theory]
    [InlineData(899, null)]
    [InlineData(900, "warning")]
    [InlineData(1000, "critical")]
    public void The_budget_alert_starts_at_ninety_percent_and_is_critical_when_spent(double spent, string? severity)
    {
        var alert = AlertRules.Evaluate(new AlertInputs(null, DailyBudget, spent, null, true, Now)).SingleOrDefault();
        Assert.Equal(severity, alert?.Severity);
        Assert.Equal(severity is null ? null : "budget_nearly_spent", alert?.Code);
    }

    [Fact]
    public void Uplift_alerts_need_the_whole_interval_below_zero()
    {
        Assert.Empty(Codes(new AlertInputs(Report(-5, 0.1), null, 0, null, true, Now)));
        Assert.Equal(["net_value_uplift_negative", "reward_uplift_negative"], Codes(new AlertInputs(Report(-5, -0.1), null, 0, null, true, Now)));
    }

    [Fact]
    public void An_automatic_rollback_alerts_for_a_day_and_a_manual_one_does_not()
    {
        var automatic = new Contracts.V1.Evaluation { Decision = "rolled_back", Actor = "trainer", TimeUnixMs = Now - 1000, FromVersion = 4, ToVersion = 3 };
        Assert.Equal(["auto_rollback"], Codes(new AlertInputs(null, null, 0, automatic, true, Now)));
        Assert.Empty(Codes(new AlertInputs(null, null, 0, automatic, true, Now + (long)TimeSpan.FromHours(25).TotalMilliseconds)));
        Assert.Empty(Codes(new AlertInputs(null, null, 0, automatic.Clone().Also(e => e.Actor = "alice"), true, Now)));
    }

    [Fact]
    public void An_unreachable_feedback_store_is_critical()
    {
        var alert = Assert.Single(AlertRules.Evaluate(new AlertInputs(null, null, 0, null, FeedbackStoreReachable: false, Now)));
        Assert.Equal(("feedback_store_unavailable", "critical"), (alert.Code, alert.Severity));
    }

    private static PolicyReport Report(double lower, double upper) => new()
    {
        NetValueUplift = new Uplift { Estimate = (lower + upper) / 2, Lower = lower, Upper = upper },
        RewardUplift = new Uplift { Estimate = (lower + upper) / 2, Lower = lower, Upper = upper },
    };
}

internal static class EvaluationExtensions
{
    public static Contracts.V1.Evaluation Also(this Contracts.V1.Evaluation evaluation, Action<Contracts.V1.Evaluation> change)
    {
        change(evaluation);
        return evaluation;
    }
}
