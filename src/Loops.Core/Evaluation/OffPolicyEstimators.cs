namespace Loops.Core.Evaluation;

/// <summary>The estimators by name, as the command line, the trainer and the dashboard refer to them.</summary>
public static class OffPolicyEstimators
{
    /// <summary>IPS.</summary>
    public static readonly OffPolicyEstimator Ips = new InversePropensityScoring();

    /// <summary>SNIPS.</summary>
    public static readonly OffPolicyEstimator Snips = new SelfNormalizedInversePropensityScoring();

    /// <summary>DM.</summary>
    public static readonly OffPolicyEstimator Dm = new DirectMethod();

    /// <summary>DR.</summary>
    public static readonly OffPolicyEstimator Dr = new DoublyRobust();

    /// <summary>SNDR.</summary>
    public static readonly OffPolicyEstimator Sndr = new SelfNormalizedDoublyRobust();

    /// <summary>Every name <see cref="Create"/> accepts, in report order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["ips", "snips", "dm", "dr", "sndr", "switch-dr"];

    /// <summary>Finds an estimator by its name (case-insensitive).</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="switchThreshold">τ for "switch-dr".</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    public static OffPolicyEstimator Create(string name, double switchThreshold = SwitchDoublyRobust.DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "ips" => Ips,
            "snips" => Snips,
            "dm" => Dm,
            "dr" => Dr,
            "sndr" => Sndr,
            "switch-dr" => new SwitchDoublyRobust(switchThreshold),
            _ => throw new ArgumentException($"unknown estimator '{name}'; use one of {string.Join(", ", Names)}", nameof(name)),
        };
    }
}
