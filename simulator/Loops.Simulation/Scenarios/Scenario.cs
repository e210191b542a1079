namespace Loops.Simulation.Scenarios;

/// <summary>
/// A simulated world, as written in a scenario file (see <c>simulator/scenarios/scenario.schema.json</c>): who
/// arrives, what can be offered to them, how each kind of player truly responds, and how that changes over time.
/// </summary>
public sealed record Scenario
{
    /// <summary>A short identifier, used in file names and policy names.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>What the scenario stands for, in a sentence or two.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>How many decisions arrive per simulated day and for how many days.</summary>
    public TrafficSpec Traffic { get; init; } = new();

    /// <summary>How long after a decision its outcome is known (conversions only; costs on decision are immediate).</summary>
    public DelaySpec Delay { get; init; } = new();

    /// <summary>
    /// How long a decision waits for its outcome before learners see it, as the service's reward window does. An
    /// outcome later than this is still money earned, but learners see the decision as unconverted.
    /// </summary>
    public double RewardWindowHours { get; init; } = 24;

    /// <summary>The context features every player has (their values are drawn per persona).</summary>
    public IReadOnlyList<FeatureSpec> Features { get; init; } = [];

    /// <summary>The candidate actions offered at every decision.</summary>
    public IReadOnlyList<ActionSpec> Actions { get; init; } = [];

    /// <summary>The kinds of players, their shares of traffic, their features and their true responses.</summary>
    public IReadOnlyList<PersonaSpec> Personas { get; init; } = [];

    /// <summary>Changes of the world at given days: responses and persona shares.</summary>
    public IReadOnlyList<DriftSpec> Drift { get; init; } = [];

    /// <summary>A periodic swing of every conversion probability; none when absent.</summary>
    public SeasonalitySpec? Seasonality { get; init; }

    /// <summary>The rules of the A/B-test-then-commit baseline.</summary>
    public AbTestSpec AbTest { get; init; } = new();

    /// <summary>The strategies compared by default (see <c>docs/simulator.md</c> for the syntax).</summary>
    public IReadOnlyList<string> Strategies { get; init; } = [];

    /// <summary>How many seeds a run uses by default.</summary>
    public int Seeds { get; init; } = 5;
}
