namespace Loops.Simulation.Scenarios;

/// <summary>A candidate action (a bonus, an offer, a referral incentive) and what it costs.</summary>
public sealed record ActionSpec
{
    /// <summary>The action's id, unique in the scenario.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>What the action costs the business, in the scenario's currency.</summary>
    public double Cost { get; init; }

    /// <summary>"decision" (paid whenever it is given, e.g. free spins) or "conversion" (paid only when the player converts, e.g. a deposit match).</summary>
    public string CostOn { get; init; } = "conversion";

    /// <summary>Features of the action sent to the policies (namespace "offer").</summary>
    public IReadOnlyList<ActionFeatureSpec> Features { get; init; } = [];
}
