using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Evaluation;

/// <summary>One logged decision with its outcome, whatever file it came from.</summary>
public sealed class LoggedEvent
{
    /// <summary>The 0-based row number of the event in its log (the <c>round</c> of a probability file).</summary>
    public required int Round { get; init; }

    /// <summary>The slot the action was shown in: 1, 2 or 3 in the Open Bandit Dataset; 0 for Loops logs.</summary>
    public required int Position { get; init; }

    /// <summary>The context features.</summary>
    public required IReadOnlyList<Feature> Context { get; init; }

    /// <summary>The candidate actions (may be shared by many events).</summary>
    public required IReadOnlyList<Action> Actions { get; init; }

    /// <summary>The index in <see cref="Actions"/> of the action the logger chose.</summary>
    public required int LoggedAction { get; init; }

    /// <summary>The logger's probability of the chosen action (the propensity).</summary>
    public required double LoggingProbability { get; init; }

    /// <summary>The observed reward.</summary>
    public required double Reward { get; init; }

    /// <summary>The decision's event id when the log has one (Loops logs); stochastic target policies draw with its seed.</summary>
    public string? EventId { get; init; }

    /// <summary>The logger's probability of every action, in the order of <see cref="Actions"/>; null when not logged.</summary>
    public IReadOnlyList<double>? LoggingDistribution { get; init; }
}
