using Loops.Simulation.Scenarios;

namespace Loops.Simulation.World;

/// <summary>A persona's response compiled to arrays: base log-odds and revenue per action, and its effects.</summary>
internal sealed class PersonaResponse
{
    public PersonaResponse(ResponseSpec response, Scenario scenario)
    {
        var actions = scenario.Actions;
        BaseLogOdds = actions.Select(a => Logit(response.Conversion[a.Id])).ToArray();
        Revenue = actions.Select(a => response.Revenue[a.Id]).ToArray();
        RevenueSpread = response.RevenueSpread;
        Effects = response.Effects.Select(effect =>
        {
            var featureIndex = scenario.Features.ToList().FindIndex(f => f.Name == effect.Feature);
            var feature = scenario.Features[featureIndex];
            var applies = actions.Select(a => effect.Actions.Count == 0 || effect.Actions.Contains(a.Id)).ToArray();
            var category = effect.Category is null ? -1 : feature.Categories.ToList().IndexOf(effect.Category);
            return new CompiledEffect(featureIndex, category, feature.Center, feature.Scale, applies, effect.ConversionLogit, effect.RevenueLog);
        }).ToArray();
    }

    public double[] BaseLogOdds { get; }

    public double[] Revenue { get; }

    public double RevenueSpread { get; }

    public CompiledEffect[] Effects { get; }

    private static double Logit(double p)
    {
        var clamped = Math.Clamp(p, 1e-9, 1 - 1e-9);
        return Math.Log(clamped / (1 - clamped));
    }
}
