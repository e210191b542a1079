namespace Loops.Evaluation;

/// <summary>The uniform random policy: 1/K for each of the K candidate actions.</summary>
public sealed class UniformPolicy : TargetPolicy
{
    /// <inheritdoc />
    public override string Description => "uniform";

    /// <inheritdoc />
    public override bool TryGetDistribution(LoggedEvent loggedEvent, Span<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(loggedEvent);
        probabilities.Fill(1.0 / probabilities.Length);
        return true;
    }
}
