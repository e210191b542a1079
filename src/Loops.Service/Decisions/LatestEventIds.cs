namespace Loops.Service.Decisions;

/// <summary>The event ids of one policy's last decisions, in a ring, so that recent decisions can be listed by policy.</summary>
internal sealed class LatestEventIds
{
    /// <summary>How many event ids a policy keeps.</summary>
    public const int Capacity = 100;

    private readonly Lock _gate = new();
    private readonly string[] _ring = new string[Capacity];
    private long _added;

    public void Add(string eventId)
    {
        lock (_gate)
        {
            _ring[_added % Capacity] = eventId;
            _added++;
        }
    }

    public IReadOnlyList<string> NewestFirst()
    {
        lock (_gate)
        {
            var count = (int)Math.Min(_added, Capacity);
            var result = new string[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = _ring[(_added - 1 - i) % Capacity];
            }

            return result;
        }
    }
}
