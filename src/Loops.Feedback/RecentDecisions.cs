using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>
/// The responses of recent decisions by event id, so a retried Decide gets its original answer. Entries live until
/// their decision's join deadline and at most <c>capacity</c> are kept (the oldest go first). Not thread-safe.
/// Responses are kept encoded: one array per decision rather than a graph of messages for the garbage collector to
/// trace on every collection.
/// </summary>
internal sealed class RecentDecisions(int capacity)
{
    private readonly Dictionary<string, (byte[] Response, long ExpiresUnixMs)> _byEventId = new(StringComparer.Ordinal);
    private readonly Queue<(string EventId, long ExpiresUnixMs)> _order = new();

    public int Count => _byEventId.Count;

    /// <summary>The response remembered for the event id, or null.</summary>
    public DecideResponse? Find(string eventId, long nowUnixMs) =>
        _byEventId.TryGetValue(eventId, out var entry) && entry.ExpiresUnixMs > nowUnixMs ? DecideResponse.Parser.ParseFrom(entry.Response) : null;

    public void Remember(string eventId, DecideResponse response, long expiresUnixMs, long nowUnixMs)
    {
        if (capacity == 0)
        {
            return;
        }

        _byEventId[eventId] = (response.ToByteArray(), expiresUnixMs);
        _order.Enqueue((eventId, expiresUnixMs));
        while (_order.TryPeek(out var oldest) && (oldest.ExpiresUnixMs <= nowUnixMs || _byEventId.Count > capacity))
        {
            _order.Dequeue();

            // An older queue entry of an id remembered again later must not remove the newer one.
            if (_byEventId.TryGetValue(oldest.EventId, out var current) && current.ExpiresUnixMs == oldest.ExpiresUnixMs)
            {
                _byEventId.Remove(oldest.EventId);
            }
        }
    }
}
