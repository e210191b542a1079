using System.Globalization;
using Google.Protobuf.Collections;
using Loops.Contracts.V1;

namespace Loops.Constraints;

/// <summary>
/// A validated eligibility rule: the action it restricts, the context feature it reads and the comparison. A rule on
/// a feature the request does not carry does not hold, so a missing feature never makes a bonus eligible.
/// </summary>
internal sealed class EligibilityCheck(
    string ruleId, string actionId, string featureNamespace, string featureName, RuleOperator op, double[] numbers, string[] categories)
{
    /// <summary>The name used in explanations.</summary>
    public string RuleId => ruleId;

    /// <summary>The action the rule restricts, or <see cref="ConstraintSet.AnyBonus"/>.</summary>
    public string ActionId => actionId;

    /// <summary>True when the rule restricts the given action (the no-bonus action is never restricted).</summary>
    public bool AppliesTo(string action, string noBonusActionId) =>
        !string.Equals(action, noBonusActionId, StringComparison.Ordinal)
        && (actionId == ConstraintSet.AnyBonus || string.Equals(action, actionId, StringComparison.Ordinal));

    /// <summary>True when the context satisfies the rule.</summary>
    public bool Holds(RepeatedField<Feature> context)
    {
        for (var i = 0; i < context.Count; i++)
        {
            var feature = context[i];
            if (string.Equals(feature.Name, featureName, StringComparison.Ordinal)
                && string.Equals(feature.Namespace, featureNamespace, StringComparison.Ordinal))
            {
                return Compare(feature);
            }
        }

        return false;
    }

    private bool Compare(Feature feature) => feature.ValueCase switch
    {
        Feature.ValueOneofCase.Number => CompareNumber(feature.Number),
        Feature.ValueOneofCase.Category => CompareCategory(feature.Category),
        _ => false,
    };

    private bool CompareNumber(double value)
    {
        if (numbers.Length == 0)
        {
            // A number sent for a category feature: compare its invariant text, so "3" matches the category "3".
            return CompareCategory(value.ToString(CultureInfo.InvariantCulture));
        }

        return op switch
        {
            RuleOperator.Eq => value == numbers[0],
            RuleOperator.Ne => value != numbers[0],
            RuleOperator.In => Array.IndexOf(numbers, value) >= 0,
            RuleOperator.NotIn => Array.IndexOf(numbers, value) < 0,
            RuleOperator.Gte => value >= numbers[0],
            RuleOperator.Lte => value <= numbers[0],
            RuleOperator.Gt => value > numbers[0],
            RuleOperator.Lt => value < numbers[0],
            _ => false,
        };
    }

    private bool CompareCategory(string value)
    {
        var found = Array.IndexOf(categories, value) >= 0;
        return op switch
        {
            RuleOperator.Eq or RuleOperator.In => found,
            RuleOperator.Ne or RuleOperator.NotIn => !found,
            _ => false,
        };
    }
}
