namespace Loops.Evaluation;

/// <summary>
/// The logging policy itself, as a sanity check: its importance weights are all 1, so IPS and SNIPS equal the mean
/// logged reward. Its full distribution is known only where the log records it (Loops logs, not OBD logs).
/// </summary>
public sealed class LoggingPolicy : TargetPolicy
{
    /// <inheritdoc />
    public override string Description => "logging";

    /// <inheritdoc />
    public override bool TryGetDistribution(LoggedEvent loggedEvent, Span<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(loggedEvent);
        if (loggedEvent.LoggingDistribution is not { } logged)
        {
            return false;
        }

        for (int a = 0; a < probabilities.Length; a++)
        {
            probabilities[a] = logged[a];
        }

        return true;
    }

    /// <inheritdoc />
    public override double ProbabilityOfLoggedAction(LoggedEvent loggedEvent)
    {
        ArgumentNullException.ThrowIfNull(loggedEvent);
        return loggedEvent.LoggingProbability;
    }
}
