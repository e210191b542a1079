namespace Loops.Feedback;

/// <summary>The hash of a joined event id and when it was joined, remembered to recognise late rewards.</summary>
internal readonly record struct RecentlyJoined(ulong EventIdHash, long JoinedAtUnixMs);
