using Loops.Contracts.V1;
using Loops.Simulation.Scenarios;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Simulation.World;

/// <summary>
/// A scenario compiled for speed: draws players, gives the true expected value of every action, and realises
/// outcomes. Every method is a pure function of (seed, step, inputs), so it is safe to share across threads.
/// </summary>
internal sealed class ScenarioEnvironment
{
    private readonly FeatureSampler[][] _samplers;
    private readonly PersonaResponse[] _responses;
    private readonly WorldEpoch[] _epochs;
    private readonly double[] _costOnDecision;
    private readonly double[] _costOnConversion;
    private readonly double _stepsPerHour;

    public ScenarioEnvironment(Scenario scenario)
    {
        Scenario = scenario;
        ActionCount = scenario.Actions.Count;
        PersonaCount = scenario.Personas.Count;
        FeatureCount = scenario.Features.Count;
        Horizon = (int)Math.Round(scenario.Traffic.DecisionsPerDay * scenario.Traffic.Days);
        _stepsPerHour = scenario.Traffic.DecisionsPerDay / 24.0;
        RewardWindowSteps = (int)Math.Round(scenario.RewardWindowHours * _stepsPerHour);
        _samplers = scenario.Personas
            .Select(p => scenario.Features.Select(f => new FeatureSampler(f, p.Features[f.Name])).ToArray())
            .ToArray();
        _responses = scenario.Personas.Select(p => new PersonaResponse(p.Response, scenario)).ToArray();
        _epochs = WorldEpoch.Build(scenario);
        _costOnDecision = scenario.Actions.Select(a => a.CostOn == "decision" ? a.Cost : 0).ToArray();
        _costOnConversion = scenario.Actions.Select(a => a.CostOn == "conversion" ? a.Cost : 0).ToArray();
    }

    public Scenario Scenario { get; }

    public int ActionCount { get; }

    public int PersonaCount { get; }

    public int FeatureCount { get; }

    /// <summary>The number of decisions of a run.</summary>
    public int Horizon { get; }

    /// <summary>How many steps after a decision the learners see its outcome (the reward window).</summary>
    public int RewardWindowSteps { get; }

    public double StepsPerHour => _stepsPerHour;

    public SimContext NewContext() => new(FeatureCount);

    /// <summary>Fills <paramref name="context"/> with the player arriving at <paramref name="step"/>.</summary>
    public void DrawContext(ulong seed, int step, SimContext context)
    {
        var epoch = EpochOf(step);
        var persona = FeatureSampler.Pick(_epochs[epoch].CumulativeShares, CounterRandom.Uniform(seed, step, RandomStream.Persona));
        context.Step = step;
        context.Day = step / (double)Scenario.Traffic.DecisionsPerDay;
        context.Epoch = epoch;
        context.Persona = persona;
        var samplers = _samplers[persona];
        for (var f = 0; f < samplers.Length; f++)
        {
            var sampler = samplers[f];
            var normal = sampler.NeedsNormal ? CounterRandom.Normal(seed, step, RandomStream.Feature, f) : 0;
            var uniform = sampler.NeedsNormal ? 0 : CounterRandom.Uniform(seed, step, RandomStream.Feature, f);
            context.Values[f] = sampler.Draw(uniform, normal);
        }
    }

    /// <summary>The true conversion probability and mean revenue of every action for this player now.</summary>
    public void Respond(SimContext context, Span<double> conversion, Span<double> revenue)
    {
        var response = _responses[context.Persona];
        var epoch = _epochs[context.Epoch];
        var season = Seasonality(context.Day);
        for (var a = 0; a < ActionCount; a++)
        {
            var logOdds = response.BaseLogOdds[a] + epoch.LogOddsShift[context.Persona, a] + season;
            var logRevenue = 0.0;
            foreach (var effect in response.Effects)
            {
                if (effect.Applies[a])
                {
                    var value = effect.ValueOf(context.Values);
                    logOdds += effect.ConversionLogit * value;
                    logRevenue += effect.RevenueLog * value;
                }
            }

            conversion[a] = 1 / (1 + Math.Exp(-logOdds));
            revenue[a] = response.Revenue[a] * epoch.RevenueMultiplier[context.Persona, a] * Math.Exp(logRevenue);
        }
    }

    /// <summary>The expected net value (revenue − cost) of an action, from <see cref="Respond"/>'s output.</summary>
    public double ExpectedNet(int action, double conversion, double revenue) =>
        (conversion * (revenue - _costOnConversion[action])) - _costOnDecision[action];

    /// <summary>Realises the outcome of giving <paramref name="action"/> to the player of <paramref name="step"/>.</summary>
    /// <remarks>The draws depend on the step, not on the action, so every strategy faces the same luck.</remarks>
    public Outcome Realize(ulong seed, int step, int action, double conversion, double revenue, int persona)
    {
        var converted = CounterRandom.Uniform(seed, step, RandomStream.Conversion) < conversion;
        if (!converted)
        {
            return new Outcome(false, 0, _costOnDecision[action], 0);
        }

        var spread = _responses[persona].RevenueSpread;
        var earned = spread > 0
            ? revenue * Math.Exp((spread * CounterRandom.Normal(seed, step, RandomStream.Revenue)) - (spread * spread / 2))
            : revenue;
        return new Outcome(true, earned, _costOnDecision[action] + _costOnConversion[action], DelaySteps(seed, step));
    }

    /// <summary>
    /// The reward a learner sees when the decision's window closes: the net value when the conversion came within
    /// the window, otherwise only what the decision itself cost (a late conversion is money earned, unseen).
    /// </summary>
    public double ObservedReward(int action, in Outcome outcome) =>
        outcome.Converted && outcome.DelaySteps <= RewardWindowSteps ? outcome.Net : -_costOnDecision[action];

    /// <summary>What giving an action costs at once, whatever the outcome.</summary>
    public double CostOnDecision(int action) => _costOnDecision[action];

    /// <summary>What an action costs when the player converts.</summary>
    public double CostOnConversion(int action) => _costOnConversion[action];

    /// <summary>The context features of a player as the policies see them (reusable objects; see <see cref="WriteFeatures"/>).</summary>
    public Feature[] NewFeatures() => Scenario.Features
        .Select(f => new Feature { Namespace = f.Namespace, Name = f.Name })
        .ToArray();

    /// <summary>Writes the player's values into features made by <see cref="NewFeatures"/>.</summary>
    public void WriteFeatures(SimContext context, Feature[] features)
    {
        for (var f = 0; f < features.Length; f++)
        {
            var categories = Scenario.Features[f].Categories;
            if (categories.Count > 0)
            {
                features[f].Category = categories[(int)context.Values[f]];
            }
            else
            {
                features[f].Number = context.Values[f];
            }
        }
    }

    /// <summary>The candidate actions as the policies see them, with their features (namespace "offer") and costs.</summary>
    public Action[] NewActions() => Scenario.Actions.Select(spec =>
    {
        var action = new Action { Id = spec.Id, Cost = spec.Cost };
        foreach (var feature in spec.Features)
        {
            action.Features.Add(feature.Number is { } number
                ? new Feature { Namespace = "offer", Name = feature.Name, Number = number }
                : new Feature { Namespace = "offer", Name = feature.Name, Category = feature.Category });
        }

        return action;
    }).ToArray();

    private int EpochOf(int step)
    {
        var epoch = 0;
        while (epoch + 1 < _epochs.Length && _epochs[epoch + 1].StartStep <= step)
        {
            epoch++;
        }

        return epoch;
    }

    private double Seasonality(double day) => Scenario.Seasonality is { } season
        ? season.Amplitude * Math.Sin(2 * Math.PI * (day - season.PhaseDays) / season.PeriodDays)
        : 0;

    private int DelaySteps(ulong seed, int step)
    {
        var delay = Scenario.Delay;
        var hours = delay.Distribution switch
        {
            "fixed" => delay.MeanHours,
            "uniform" => 2 * delay.MeanHours * CounterRandom.Uniform(seed, step, RandomStream.Delay),
            "exponential" => -delay.MeanHours * Math.Log(1 - CounterRandom.Uniform(seed, step, RandomStream.Delay)),
            _ => 0,
        };
        if (delay.MaxHours > 0)
        {
            hours = Math.Min(hours, delay.MaxHours);
        }

        return (int)Math.Round(hours * _stepsPerHour);
    }
}
