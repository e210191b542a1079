namespace Loops.Simulation.Running;

/// <summary>
/// Decisions waiting for their reward window to close. Windows have one length, so decisions leave in the order
/// they came: a ring buffer, allocated once.
/// </summary>
internal sealed class PendingFeedback(int windowSteps)
{
    private readonly Entry[] _entries = new Entry[windowSteps + 2];
    private int _head;
    private int _count;

    public void Add(int step, int action, double probability, double observedReward)
    {
        _entries[(_head + _count) % _entries.Length] = new Entry(step, action, probability, observedReward);
        _count++;
    }

    /// <summary>Takes the oldest decision whose window has closed by <paramref name="now"/>.</summary>
    public bool TryTakeDue(int now, out Entry entry)
    {
        if (_count > 0 && _entries[_head].Step + windowSteps <= now)
        {
            entry = _entries[_head];
            _head = (_head + 1) % _entries.Length;
            _count--;
            return true;
        }

        entry = default;
        return false;
    }

    /// <summary>A decision and the reward its learner will see.</summary>
    internal readonly record struct Entry(int Step, int Action, double Probability, double ObservedReward);
}
