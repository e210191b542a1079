namespace Loops.Simulation.Scenarios;

/// <summary>Checks a scenario's rules; each error names the field, e.g. <c>personas[1].response.conversion.match-100</c>.</summary>
internal static class ScenarioValidator
{
    private static readonly string[] Delays = ["none", "fixed", "exponential", "uniform"];
    private static readonly string[] NumericDistributions = ["normal", "lognormal", "uniform", "constant"];

    public static List<string> Validate(Scenario scenario)
    {
        var errors = new List<string>();
        Check(errors, !string.IsNullOrWhiteSpace(scenario.Name) && scenario.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'),
            "name: 1 or more letters, digits, '-' or '_'");
        Check(errors, scenario.Traffic.DecisionsPerDay > 0, "traffic.decisionsPerDay: must be positive");
        Check(errors, scenario.Traffic.Days > 0 && double.IsFinite(scenario.Traffic.Days), "traffic.days: must be positive");
        Check(errors, scenario.Traffic.DecisionsPerDay * scenario.Traffic.Days <= int.MaxValue, "traffic: at most 2^31 decisions");
        Check(errors, Delays.Contains(scenario.Delay.Distribution), $"delay.distribution: one of {string.Join(", ", Delays)}");
        Check(errors, scenario.Delay.MeanHours >= 0 && scenario.Delay.MaxHours >= 0, "delay: meanHours and maxHours must be at least 0");
        Check(errors, scenario.RewardWindowHours >= 0, "rewardWindowHours: must be at least 0");
        Check(errors, scenario.Seeds is >= 1 and <= 1000, "seeds: between 1 and 1000");
        Check(errors, scenario.AbTest.Alpha is > 0 and < 1, "abTest.alpha: between 0 and 1");
        Check(errors, scenario.AbTest.Looks >= 1, "abTest.looks: at least 1");
        Check(errors, scenario.AbTest.MaxDays >= 0, "abTest.maxDays: at least 0");
        if (scenario.Seasonality is { } season)
        {
            Check(errors, season.PeriodDays > 0, "seasonality.periodDays: must be positive");
        }

        var features = ValidateFeatures(scenario, errors);
        var actions = ValidateActions(scenario, errors);
        var personas = new HashSet<string>();
        for (var p = 0; p < scenario.Personas.Count; p++)
        {
            var persona = scenario.Personas[p];
            var at = $"personas[{p}]";
            Check(errors, !string.IsNullOrEmpty(persona.Name) && personas.Add(persona.Name), $"{at}.name: required and unique");
            Check(errors, persona.Share >= 0 && double.IsFinite(persona.Share), $"{at}.share: at least 0");
            ValidatePersonaFeatures(persona, at, features, errors);
            ValidateResponse(persona.Response, at + ".response", features, actions, errors);
        }

        Check(errors, scenario.Personas.Count > 0, "personas: at least one");
        Check(errors, scenario.Personas.Sum(p => p.Share) > 0, "personas: the shares must not all be 0");
        for (var d = 0; d < scenario.Drift.Count; d++)
        {
            var drift = scenario.Drift[d];
            var at = $"drift[{d}]";
            Check(errors, drift.AtDay >= 0, $"{at}.atDay: at least 0");
            Check(errors, drift.Persona is null || personas.Contains(drift.Persona), $"{at}.persona: '{drift.Persona}' is not a persona");
            Check(errors, drift.Action is null || actions.Contains(drift.Action), $"{at}.action: '{drift.Action}' is not an action");
            Check(errors, drift.ConversionOddsMultiplier >= 0 && drift.RevenueMultiplier >= 0, $"{at}: multipliers must be at least 0");
            foreach (var (name, share) in drift.Shares ?? new Dictionary<string, double>())
            {
                Check(errors, personas.Contains(name) && share >= 0, $"{at}.shares.{name}: a persona with a share of at least 0");
            }
        }

        return errors;
    }

    private static Dictionary<string, FeatureSpec> ValidateFeatures(Scenario scenario, List<string> errors)
    {
        var features = new Dictionary<string, FeatureSpec>();
        for (var f = 0; f < scenario.Features.Count; f++)
        {
            var feature = scenario.Features[f];
            var at = $"features[{f}]";
            Check(errors, !string.IsNullOrEmpty(feature.Name) && features.TryAdd(feature.Name, feature), $"{at}.name: required and unique");
            Check(errors, !string.IsNullOrEmpty(feature.Namespace), $"{at}.namespace: required");
            Check(errors, feature.Scale > 0, $"{at}.scale: must be positive");
            Check(errors, feature.Categories.Distinct().Count() == feature.Categories.Count, $"{at}.categories: must be unique");
        }

        return features;
    }

    private static HashSet<string> ValidateActions(Scenario scenario, List<string> errors)
    {
        var actions = new HashSet<string>();
        for (var a = 0; a < scenario.Actions.Count; a++)
        {
            var action = scenario.Actions[a];
            var at = $"actions[{a}]";
            Check(errors, !string.IsNullOrEmpty(action.Id) && actions.Add(action.Id), $"{at}.id: required and unique");
            Check(errors, action.Cost >= 0 && double.IsFinite(action.Cost), $"{at}.cost: at least 0");
            Check(errors, action.CostOn is "decision" or "conversion", $"{at}.costOn: \"decision\" or \"conversion\"");
            for (var i = 0; i < action.Features.Count; i++)
            {
                var feature = action.Features[i];
                Check(errors, !string.IsNullOrEmpty(feature.Name) && (feature.Number is null) != (feature.Category is null),
                    $"{at}.features[{i}]: a name and either a number or a category");
            }
        }

        Check(errors, actions.Count >= 2, "actions: at least two");
        return actions;
    }

    private static void ValidatePersonaFeatures(PersonaSpec persona, string at, Dictionary<string, FeatureSpec> features, List<string> errors)
    {
        foreach (var name in persona.Features.Keys.Where(name => !features.ContainsKey(name)))
        {
            errors.Add($"{at}.features.{name}: not a feature of the scenario");
        }

        foreach (var (name, feature) in features)
        {
            if (!persona.Features.TryGetValue(name, out var distribution))
            {
                errors.Add($"{at}.features.{name}: missing; every persona gives every feature a distribution");
                continue;
            }

            var where = $"{at}.features.{name}";
            if (feature.Categories.Count > 0)
            {
                var probabilities = distribution.Probabilities;
                Check(errors, probabilities is { Count: > 0 } && probabilities.Values.Sum() > 0 && probabilities.Values.All(v => v >= 0),
                    $"{where}.probabilities: required for a categorical feature, at least 0 each, not all 0");
                foreach (var category in probabilities?.Keys.Where(c => !feature.Categories.Contains(c)) ?? [])
                {
                    errors.Add($"{where}.probabilities.{category}: not a category of the feature");
                }

                continue;
            }

            Check(errors, NumericDistributions.Contains(distribution.Distribution), $"{where}.distribution: one of {string.Join(", ", NumericDistributions)}");
            Check(errors, distribution.Sd >= 0 && distribution.Sigma >= 0, $"{where}: sd and sigma must be at least 0");
            Check(errors, distribution.Distribution != "lognormal" || distribution.Median > 0, $"{where}.median: must be positive for a lognormal");
            Check(errors, distribution.Distribution != "uniform" || distribution.Max >= distribution.Min, $"{where}: max must be at least min");
        }
    }

    private static void ValidateResponse(ResponseSpec response, string at, Dictionary<string, FeatureSpec> features, HashSet<string> actions, List<string> errors)
    {
        foreach (var action in actions)
        {
            Check(errors, response.Conversion.TryGetValue(action, out var p) && p is >= 0 and <= 1, $"{at}.conversion.{action}: a probability in [0, 1] for every action");
            Check(errors, response.Revenue.TryGetValue(action, out var r) && r >= 0 && double.IsFinite(r), $"{at}.revenue.{action}: at least 0 for every action");
        }

        foreach (var name in response.Conversion.Keys.Concat(response.Revenue.Keys).Where(a => !actions.Contains(a)).Distinct())
        {
            errors.Add($"{at}: '{name}' is not an action");
        }

        Check(errors, response.RevenueSpread >= 0, $"{at}.revenueSpread: at least 0");
        for (var e = 0; e < response.Effects.Count; e++)
        {
            var effect = response.Effects[e];
            var where = $"{at}.effects[{e}]";
            if (!features.TryGetValue(effect.Feature, out var feature))
            {
                errors.Add($"{where}.feature: '{effect.Feature}' is not a feature of the scenario");
                continue;
            }

            Check(errors, feature.Categories.Count == 0 ? effect.Category is null : effect.Category is not null && feature.Categories.Contains(effect.Category),
                $"{where}.category: required for a categorical feature (one of its categories), absent for a numeric one");
            foreach (var action in effect.Actions.Where(a => !actions.Contains(a)))
            {
                errors.Add($"{where}.actions: '{action}' is not an action");
            }
        }
    }

    private static void Check(List<string> errors, bool condition, string message)
    {
        if (!condition)
        {
            errors.Add(message);
        }
    }
}
