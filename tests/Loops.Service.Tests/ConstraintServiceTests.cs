using Loops.Contracts.V1;
using Loops.Grpc;
using static Loops.Service.Tests.ConstraintPolicies;

namespace Loops.Service.Tests;

public sealed class ConstraintServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_rule_on_an_undeclared_feature_is_rejected_naming_it()
    {
        await using var host = await ServiceHost.StartAsync();
        var constraints = new Contracts.V1.Constraints { NoBonusActionId = "none" };
        constraints.Eligibility.Add(new EligibilityRule
        {
            ActionId = "b25",
            Namespace = "geo",
            Name = "country",
            Operator = RuleOperator.NotIn,
            Values = { "DE" },
        });
        var error = await Assert.ThrowsAsync<GrpcException>(() => host.Client.UpsertPolicyAsync(Bonuses("p", constraints)).WaitAsync(Timeout));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Contains("unknown feature 'geo/country'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_rule_is_rejected_naming_it()
    {
        await using var host = await ServiceHost.StartAsync();
        var constraints = new Contracts.V1.Constraints { NoBonusActionId = "none" };
        constraints.Eligibility.Add(Rule("old-enough", "b25", "age_days", RuleOperator.Gte, "thirty"));
        var error = await Assert.ThrowsAsync<GrpcException>(() => host.Client.UpsertPolicyAsync(Bonuses("p", constraints)).WaitAsync(Timeout));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Contains("eligibility[0].values[0] 'thirty' is not a finite number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explanation_names_the_rules_that_masked_actions()
    {
        await using var host = await ServiceHost.StartAsync();
        var constraints = new Contracts.V1.Constraints { NoBonusActionId = "none" };
        constraints.Eligibility.Add(Rule("vip-only", "b25", "segment", RuleOperator.Eq, "vip"));
        constraints.Eligibility.Add(Rule("old-enough", "*", "age_days", RuleOperator.Gte, "30"));
        await host.Client.UpsertPolicyAsync(Bonuses("p", constraints)).WaitAsync(Timeout);

        var request = new DecideRequest { Policy = "p", UserId = "u1", EventId = "e1" };
        request.Context.Add(Category("user", "segment", "regular"));
        request.Context.Add(new Feature { Namespace = "user", Name = "age_days", Number = 3 });
        var response = await host.Client.DecideAsync(request).WaitAsync(Timeout);
        Assert.Equal("none", response.ActionId);
        Assert.Equal(1, response.Probability);

        var explanation = await host.Client.ExplainDecisionAsync("e1").WaitAsync(Timeout);
        var masked = explanation.Masked.ToDictionary(m => m.ActionId, m => m.RuleIds.ToArray());
        Assert.Equal(["vip-only", "old-enough"], masked["b25"]);
        Assert.Equal(["old-enough"], masked["b10"]);
        Assert.Contains("'b25' by vip-only, old-enough", explanation.Summary, StringComparison.Ordinal);
        Assert.Equal(3, explanation.Candidates.Count);
    }

    [Fact]
    public async Task A_released_decision_gives_its_budget_back()
    {
        await using var host = await ServiceHost.StartAsync();
        var constraints = new Contracts.V1.Constraints { NoBonusActionId = "none", Budget = new Budget { Amount = 10, PeriodSeconds = 400 * 86400 } };
        await host.Client.UpsertPolicyAsync(Bonuses("p", constraints)).WaitAsync(Timeout);

        DecideRequest Request(string id) => new() { Policy = "p", UserId = "u", EventId = id, ExcludedActionIds = { "none", "b25" } };
        var first = await host.Client.DecideAsync(Request("e1")).WaitAsync(Timeout);
        Assert.Equal("b10", first.ActionId);
        var exhausted = await Assert.ThrowsAsync<GrpcException>(() => host.Client.DecideAsync(Request("e2")).WaitAsync(Timeout));
        Assert.Equal(StatusCode.FailedPrecondition, exhausted.Status);

        Assert.True(await host.Client.ReleaseDecisionAsync("e1").WaitAsync(Timeout));
        Assert.False(await host.Client.ReleaseDecisionAsync("e1").WaitAsync(Timeout));
        var again = await host.Client.DecideAsync(Request("e3")).WaitAsync(Timeout);
        Assert.Equal("b10", again.ActionId);
    }

    [Fact]
    public async Task Control_users_get_the_baseline_with_probability_one()
    {
        await using var host = await ServiceHost.StartAsync();
        var constraints = new Contracts.V1.Constraints { ControlShare = 0.3, BaselineActionId = "none" };
        await host.Client.UpsertPolicyAsync(Bonuses("p", constraints)).WaitAsync(Timeout);
        var controls = 0;
        for (var i = 0; i < 200; i++)
        {
            var response = await host.Client.DecideAsync(new DecideRequest { Policy = "p", UserId = $"user-{i}" }).WaitAsync(Timeout);
            var repeat = await host.Client.DecideAsync(new DecideRequest { Policy = "p", UserId = $"user-{i}" }).WaitAsync(Timeout);
            Assert.Equal(response.Control, repeat.Control);
            if (response.Control)
            {
                controls++;
                Assert.Equal("none", response.ActionId);
                Assert.Equal(1, response.Probability);
            }
        }

        Assert.InRange(controls, 35, 85);
    }
}
