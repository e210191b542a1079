namespace Loops.Evaluation;

/// <summary>The reward model's prediction q̂(x_i, a) for every action of every event, stored flat.</summary>
public sealed class RewardPredictions
{
    private readonly double[] _values;
    private readonly int[] _offsets;

    /// <summary>Creates empty (zero) predictions shaped after the events' action sets.</summary>
    /// <param name="events">The events.</param>
    public RewardPredictions(IReadOnlyList<LoggedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _offsets = new int[events.Count + 1];
        for (int i = 0; i < events.Count; i++)
        {
            _offsets[i + 1] = _offsets[i] + events[i].Actions.Count;
        }

        _values = new double[_offsets[^1]];
    }

    /// <summary>The predictions of one event, one per action; writable while fitting.</summary>
    /// <param name="eventIndex">The event's index in the list the predictions were made for.</param>
    /// <returns>The predictions.</returns>
    public Span<double> For(int eventIndex) => _values.AsSpan(_offsets[eventIndex], _offsets[eventIndex + 1] - _offsets[eventIndex]);
}
