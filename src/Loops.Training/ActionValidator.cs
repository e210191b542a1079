using System.Globalization;
using Loops.Contracts.V1;

namespace Loops.Training;

/// <summary>Checks actions and features: ids present and unique, names present, numbers finite.</summary>
public static class ActionValidator
{
    /// <summary>Returns an error naming the first bad field of a list of actions, or null when they are valid.</summary>
    public static string? Validate(IReadOnlyList<Contracts.V1.Action> actions, string field)
    {
        ArgumentNullException.ThrowIfNull(actions);
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            if (action.Id.Length == 0)
            {
                return $"{field}[{i}].id is empty; every action needs an id.";
            }

            if (!double.IsFinite(action.Cost))
            {
                return $"{field}[{i}].cost of action '{action.Id}' must be a finite number, got {Format(action.Cost)}.";
            }

            // The field's name is only put together for an error: valid requests pass here on every decision.
            if (FirstBadFeature(action.Features) is { } bad)
            {
                return Describe(action.Features, bad, $"{field}[{i}].features");
            }

            for (var j = 0; j < i; j++)
            {
                if (string.Equals(actions[j].Id, action.Id, StringComparison.Ordinal))
                {
                    return $"{field} has the id '{action.Id}' twice (at {j} and {i}); action ids must be unique.";
                }
            }
        }

        return null;
    }

    /// <summary>Returns an error naming the first bad feature, or null when they are valid.</summary>
    public static string? ValidateFeatures(IReadOnlyList<Feature> features, string field)
    {
        ArgumentNullException.ThrowIfNull(features);
        return FirstBadFeature(features) is { } bad ? Describe(features, bad, field) : null;
    }

    private static int? FirstBadFeature(IReadOnlyList<Feature> features)
    {
        for (var i = 0; i < features.Count; i++)
        {
            var feature = features[i];
            if (feature.Name.Length == 0 || (feature.ValueCase == Feature.ValueOneofCase.Number && !double.IsFinite(feature.Number)))
            {
                return i;
            }
        }

        return null;
    }

    private static string Describe(IReadOnlyList<Feature> features, int index, string field)
    {
        var feature = features[index];
        return feature.Name.Length == 0
            ? $"{field}[{index}].name is empty; every feature needs a name."
            : $"{field}[{index}].number ({feature.Namespace}/{feature.Name}) must be a finite number, got {Format(feature.Number)}.";
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
