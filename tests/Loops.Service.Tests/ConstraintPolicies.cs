using Loops.Contracts.V1;

namespace Loops.Service.Tests;

/// <summary>Policies and requests with constraints for the tests.</summary>
internal static class ConstraintPolicies
{
    public static Contracts.V1.Action Action(string id, double cost) => new() { Id = id, Cost = cost };

    public static Feature Category(string ns, string name, string value) => new() { Namespace = ns, Name = name, Category = value };

    public static Policy Bonuses(string name, Contracts.V1.Constraints constraints, double epsilon = 1)
    {
        var policy = new Policy { Name = name, Epsilon = epsilon, Constraints = constraints };
        policy.Actions.Add([Action("none", 0), Action("b10", 10), Action("b25", 25)]);
        policy.ContextSchema.Add(new ContextFeatureSpec { Namespace = "user", Name = "segment", Type = FeatureType.Category });
        policy.ContextSchema.Add(new ContextFeatureSpec { Namespace = "user", Name = "age_days", Type = FeatureType.Number });
        return policy;
    }

    public static EligibilityRule Rule(string id, string action, string name, RuleOperator op, params string[] values)
    {
        var rule = new EligibilityRule { Id = id, ActionId = action, Namespace = "user", Name = name, Operator = op };
        rule.Values.Add(values);
        return rule;
    }
}
