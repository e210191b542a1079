using System.Globalization;
using Google.Protobuf.Collections;
using Loops.Contracts.V1;

namespace Loops.Constraints;

/// <summary>
/// Validates a policy's constraints against its context schema and catalogue and compiles them. Every error names the
/// field and the problem; nothing malformed reaches the decision path.
/// </summary>
public static class ConstraintCompiler
{
    /// <summary>The longest period or window accepted (a little over a year).</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(400);

    private const int MaxIdLength = 128;

    /// <summary>Compiles the constraints of a policy definition (<see cref="ConstraintSet.None"/> when it has none).</summary>
    /// <exception cref="ConstraintDefinitionException">A rule, cap or setting is invalid; the message names it.</exception>
    public static ConstraintSet Compile(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var schema = ReadSchema(policy.ContextSchema);
        var constraints = policy.Constraints;
        if (constraints is null)
        {
            return ConstraintSet.None;
        }

        var noBonus = constraints.NoBonusActionId;
        var eligibility = CompileRules(constraints.Eligibility, schema);
        var caps = CompileCaps(constraints.FrequencyCaps);
        var valueCap = CompileValueCap(constraints.ValueCap);
        var budget = CompileBudget(constraints.Budget);
        var objective = constraints.Objective switch
        {
            "" or "reward" => Objective.Reward,
            "net_value" => Objective.NetValue,
            _ => throw Invalid($"policy.constraints.objective '{constraints.Objective}' is unknown; use 'reward' or 'net_value'."),
        };
        if (!double.IsFinite(constraints.ControlShare) || constraints.ControlShare is < 0 or >= 1)
        {
            throw Invalid($"policy.constraints.control_share must be in [0, 1), got {Format(constraints.ControlShare)}.");
        }

        if (constraints.ControlShare > 0 && constraints.BaselineActionId.Length == 0)
        {
            throw Invalid("policy.constraints.baseline_action_id is required when control_share is above 0.");
        }

        var hasLimits = eligibility.Count > 0 || caps.Count > 0 || valueCap is not null || budget is not null;
        if (hasLimits && noBonus.Length == 0)
        {
            throw Invalid("policy.constraints.no_bonus_action_id is required when eligibility rules, caps or a budget are set; name the action that gives nothing.");
        }

        CheckCatalogue(policy.Actions, constraints, eligibility, caps);
        return new ConstraintSet(eligibility, caps, valueCap, budget, noBonus, constraints.ControlShare, constraints.BaselineActionId, objective);
    }

    private static Dictionary<(string Namespace, string Name), FeatureType> ReadSchema(RepeatedField<ContextFeatureSpec> specs)
    {
        var schema = new Dictionary<(string, string), FeatureType>();
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            if (spec.Name.Length == 0)
            {
                throw Invalid($"policy.context_schema[{i}].name is empty; every declared feature needs a name.");
            }

            if (spec.Type is not (FeatureType.Number or FeatureType.Category))
            {
                throw Invalid($"policy.context_schema[{i}].type of '{spec.Namespace}/{spec.Name}' must be FEATURE_TYPE_NUMBER or FEATURE_TYPE_CATEGORY.");
            }

            if (!schema.TryAdd((spec.Namespace, spec.Name), spec.Type))
            {
                throw Invalid($"policy.context_schema declares '{spec.Namespace}/{spec.Name}' twice.");
            }
        }

        return schema;
    }

    private static List<EligibilityCheck> CompileRules(
        RepeatedField<EligibilityRule> rules, Dictionary<(string Namespace, string Name), FeatureType> schema)
    {
        var checks = new List<EligibilityCheck>(rules.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var field = $"policy.constraints.eligibility[{i}]";
            var id = rule.Id.Length == 0 ? $"eligibility[{i}]" : CheckId(rule.Id, field + ".id");
            if (!ids.Add(id))
            {
                throw Invalid($"{field}.id '{id}' is used twice; rule ids must be unique.");
            }

            if (rule.ActionId.Length == 0)
            {
                throw Invalid($"{field}.action_id is empty; name the action the rule restricts, or '*' for every bonus.");
            }

            if (rule.Name.Length == 0)
            {
                throw Invalid($"{field}.name is empty; name the context feature the rule reads.");
            }

            if (!schema.TryGetValue((rule.Namespace, rule.Name), out var type))
            {
                throw Invalid($"{field} refers to the unknown feature '{rule.Namespace}/{rule.Name}'; declare it in policy.context_schema.");
            }

            checks.Add(CompileRule(rule, id, field, type));
        }

        return checks;
    }

    private static EligibilityCheck CompileRule(EligibilityRule rule, string id, string field, FeatureType type)
    {
        var op = rule.Operator;
        var ordered = op is RuleOperator.Gte or RuleOperator.Lte or RuleOperator.Gt or RuleOperator.Lt;
        var single = ordered || op is RuleOperator.Eq or RuleOperator.Ne;
        if (!ordered && !single && op is not (RuleOperator.In or RuleOperator.NotIn))
        {
            throw Invalid($"{field}.operator is missing or unknown; use EQ, NE, IN, NOT_IN, GTE, LTE, GT or LT.");
        }

        if (single && rule.Values.Count != 1)
        {
            throw Invalid($"{field}.values must hold exactly one value for operator {op}, got {rule.Values.Count}.");
        }

        if (rule.Values.Count == 0)
        {
            throw Invalid($"{field}.values is empty; operator {op} needs at least one value.");
        }

        if (type == FeatureType.Category)
        {
            if (ordered)
            {
                throw Invalid($"{field}.operator {op} compares numbers, but '{rule.Namespace}/{rule.Name}' is a category feature.");
            }

            return new EligibilityCheck(id, rule.ActionId, rule.Namespace, rule.Name, op, [], [.. rule.Values]);
        }

        var numbers = new double[rule.Values.Count];
        for (var j = 0; j < numbers.Length; j++)
        {
            if (!double.TryParse(rule.Values[j], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[j]) || !double.IsFinite(numbers[j]))
            {
                throw Invalid($"{field}.values[{j}] '{rule.Values[j]}' is not a finite number, but '{rule.Namespace}/{rule.Name}' is a number feature.");
            }
        }

        return new EligibilityCheck(id, rule.ActionId, rule.Namespace, rule.Name, op, numbers, []);
    }

    private static List<FrequencyLimit> CompileCaps(RepeatedField<FrequencyCap> caps)
    {
        var limits = new List<FrequencyLimit>(caps.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < caps.Count; i++)
        {
            var cap = caps[i];
            var field = $"policy.constraints.frequency_caps[{i}]";
            var id = cap.Id.Length == 0 ? $"frequency_caps[{i}]" : CheckId(cap.Id, field + ".id");
            if (!ids.Add(id))
            {
                throw Invalid($"{field}.id '{id}' is used twice; cap ids must be unique.");
            }

            if (cap.ActionId.Length == 0)
            {
                throw Invalid($"{field}.action_id is empty; name the action capped, or '*' for every bonus.");
            }

            if (cap.MaxCount < 0)
            {
                throw Invalid($"{field}.max_count must not be negative, got {cap.MaxCount}.");
            }

            limits.Add(new FrequencyLimit(id, cap.ActionId, cap.MaxCount, Period(cap.WindowSeconds, field + ".window_seconds")));
        }

        return limits;
    }

    private static ValueLimit? CompileValueCap(ValueCap? cap)
    {
        if (cap is null)
        {
            return null;
        }

        if (!double.IsFinite(cap.MaxCost) || cap.MaxCost < 0)
        {
            throw Invalid($"policy.constraints.value_cap.max_cost must be a finite number ≥ 0, got {Format(cap.MaxCost)}.");
        }

        return new ValueLimit(cap.MaxCost, Period(cap.PeriodSeconds, "policy.constraints.value_cap.period_seconds"));
    }

    private static BudgetLimit? CompileBudget(Budget? budget)
    {
        if (budget is null)
        {
            return null;
        }

        if (!double.IsFinite(budget.Amount) || budget.Amount < 0)
        {
            throw Invalid($"policy.constraints.budget.amount must be a finite number ≥ 0, got {Format(budget.Amount)}.");
        }

        if (!double.IsFinite(budget.BurstShare) || budget.BurstShare is < 0 or > 1)
        {
            throw Invalid($"policy.constraints.budget.burst_share must be in [0, 1] (0 means {Format(BudgetLimit.DefaultBurstShare)}), got {Format(budget.BurstShare)}.");
        }

        var period = Period(budget.PeriodSeconds, "policy.constraints.budget.period_seconds");
        var burst = budget.BurstShare == 0 ? BudgetLimit.DefaultBurstShare : budget.BurstShare;
        return new BudgetLimit(budget.Amount, period, budget.Pacing, burst);
    }

    private static void CheckCatalogue(
        RepeatedField<Contracts.V1.Action> catalogue, Contracts.V1.Constraints constraints, List<EligibilityCheck> rules, List<FrequencyLimit> caps)
    {
        if (catalogue.Count == 0)
        {
            return;
        }

        var ids = catalogue.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        Require(ids, constraints.NoBonusActionId, "policy.constraints.no_bonus_action_id");
        Require(ids, constraints.BaselineActionId, "policy.constraints.baseline_action_id");
        foreach (var rule in rules)
        {
            Require(ids, rule.ActionId, $"the action_id of eligibility rule '{rule.RuleId}'");
        }

        foreach (var cap in caps)
        {
            Require(ids, cap.ActionId, $"the action_id of frequency cap '{cap.RuleId}'");
        }

        var noBonus = catalogue.FirstOrDefault(a => a.Id == constraints.NoBonusActionId);
        if (noBonus is not null && noBonus.Cost != 0)
        {
            throw Invalid($"policy.constraints.no_bonus_action_id '{noBonus.Id}' has cost {Format(noBonus.Cost)}; the no-bonus action must cost 0.");
        }
    }

    private static void Require(HashSet<string> ids, string actionId, string field)
    {
        if (actionId.Length > 0 && actionId != ConstraintSet.AnyBonus && !ids.Contains(actionId))
        {
            throw Invalid($"{field} names '{actionId}', which is not in policy.actions.");
        }
    }

    private static TimeSpan Period(double seconds, string field)
    {
        if (!double.IsFinite(seconds) || seconds < 1 || seconds > MaxPeriod.TotalSeconds)
        {
            throw Invalid($"{field} must be between 1 and {MaxPeriod.TotalSeconds} seconds, got {Format(seconds)}.");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static string CheckId(string id, string field)
    {
        if (id.Length > MaxIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '[' or ']'))
        {
            throw Invalid($"{field} '{id}' must be 1 to {MaxIdLength} letters, digits, '-', '_', '.', '[' or ']'.");
        }

        return id;
    }

    private static ConstraintDefinitionException Invalid(string message) => new(message);

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
