using System.Globalization;
using Loops.Contracts.V1;

namespace Loops.Simulation.Strategies;

/// <summary>
/// A strategy named on the command line or in a scenario: <c>uniform</c>, <c>best-fixed</c>, <c>ab-test</c>,
/// <c>oracle</c>, or <c>loops:ALGORITHM[:EPSILON[:LEARNING_RATE]]</c> for a Loops policy, e.g.
/// <c>loops:epsilon_greedy:0.05</c>.
/// </summary>
public sealed record StrategySpec
{
    private StrategySpec(string name, StrategyKind kind, Policy? policy)
    {
        Name = name;
        Kind = kind;
        Policy = policy;
    }

    /// <summary>The name as written; unique within a run.</summary>
    public string Name { get; }

    /// <summary>Which kind of strategy it is.</summary>
    public StrategyKind Kind { get; }

    /// <summary>For a Loops strategy: the policy definition (algorithm and settings) it runs.</summary>
    public Policy? Policy { get; }

    /// <summary>Parses a strategy name.</summary>
    /// <exception cref="FormatException">The name is not one of the forms above.</exception>
    public static StrategySpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var name = text.Trim();
        switch (name)
        {
            case "uniform": return new(name, StrategyKind.Uniform, null);
            case "best-fixed": return new(name, StrategyKind.BestFixed, null);
            case "ab-test": return new(name, StrategyKind.AbTest, null);
            case "oracle": return new(name, StrategyKind.Oracle, null);
        }

        var parts = name.Split(':');
        if (parts[0] != "loops" || parts.Length is < 2 or > 4 || parts[1].Length == 0)
        {
            throw new FormatException(
                $"Unknown strategy '{name}'; use uniform, best-fixed, ab-test, oracle or loops:ALGORITHM[:EPSILON[:LEARNING_RATE]] (e.g. loops:epsilon_greedy:0.05).");
        }

        var policy = new Policy { Algorithm = parts[1], Epsilon = 0.05, Learning = new LearningSettings() };
        if (parts.Length > 2)
        {
            policy.Epsilon = Number(parts[2], name, "epsilon");
        }

        if (parts.Length > 3)
        {
            policy.Learning.LearningRate = Number(parts[3], name, "learning rate");
        }

        return new(name, StrategyKind.Loops, policy);
    }

    /// <summary>Parses a comma-separated list, rejecting duplicates.</summary>
    /// <exception cref="FormatException">A name is invalid or repeated.</exception>
    public static IReadOnlyList<StrategySpec> ParseList(IEnumerable<string> names)
    {
        var specs = names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(Parse)
            .ToList();
        var duplicate = specs.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"Strategy '{duplicate.Key}' is named twice.");
        }

        if (specs.Count == 0)
        {
            throw new FormatException("No strategy named.");
        }

        return specs;
    }

    private static double Number(string text, string name, string what) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"Strategy '{name}': the {what} '{text}' is not a number.");
}
