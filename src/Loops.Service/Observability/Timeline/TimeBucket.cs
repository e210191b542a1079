using Loops.Constraints;

namespace Loops.Service.Observability.Timeline;

/// <summary>The joined decisions of one policy made within one time bucket: both groups and the action mix.</summary>
internal sealed class TimeBucket(long startUnixMs)
{
    public long StartUnixMs { get; } = startUnixMs;

    public GroupTally Treatment { get; } = new();

    public GroupTally Control { get; } = new();

    public Dictionary<string, long> ActionCounts { get; } = new(StringComparer.Ordinal);

    public long Decisions => Treatment.Count + Control.Count;

    public void Add(bool control, double reward, double cost, string action)
    {
        (control ? Control : Treatment).Add(reward, cost);
        ActionCounts[action] = ActionCounts.GetValueOrDefault(action) + 1;
    }

    public void Merge(TimeBucket other)
    {
        Treatment.Merge(other.Treatment);
        Control.Merge(other.Control);
        foreach (var (action, count) in other.ActionCounts)
        {
            ActionCounts[action] = ActionCounts.GetValueOrDefault(action) + count;
        }
    }
}
