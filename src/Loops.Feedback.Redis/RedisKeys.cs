using System.IO.Hashing;
using System.Runtime.InteropServices;
using StackExchange.Redis;

namespace Loops.Feedback.Redis;

/// <summary>The names of the store's keys, streams and groups under one prefix.</summary>
internal sealed class RedisKeys
{
    public const string JoinerGroup = "joiners";

    private readonly RedisKey[] _ingest;
    private readonly RedisKey[] _deadlines;

    public RedisKeys(string prefix, int partitions)
    {
        Prefix = prefix;
        _ingest = new RedisKey[partitions];
        _deadlines = new RedisKey[partitions];
        for (var i = 0; i < partitions; i++)
        {
            _ingest[i] = $"{prefix}:in:{i}";
            _deadlines[i] = $"{prefix}:due:{i}";
        }

        Joined = $"{prefix}:joined";
        JoinedSequence = $"{prefix}:joined:seq";
        PendingPrefix = $"{prefix}:ev:";
    }

    public string Prefix { get; }

    public int Partitions => _ingest.Length;

    /// <summary>The stream of joined events; entry ids are <c>{sequence}-0</c>.</summary>
    public RedisKey Joined { get; }

    /// <summary>The counter that numbers joined events.</summary>
    public RedisKey JoinedSequence { get; }

    /// <summary>The prefix of the per-event hashes holding a pending decision and the rewards counted for it.</summary>
    public string PendingPrefix { get; }

    /// <summary>The stream that decisions and rewards of a partition are appended to.</summary>
    public RedisKey Ingest(int partition) => _ingest[partition];

    /// <summary>The sorted set of the partition's pending event ids by join deadline.</summary>
    public RedisKey Deadlines(int partition) => _deadlines[partition];

    /// <summary>The response of a decision, kept for its reward window to answer retried Decide calls.</summary>
    public RedisKey Decision(string eventId) => $"{Prefix}:dec:{eventId}";

    /// <summary>The partition of an event id: stable across processes and runs.</summary>
    public int PartitionOf(string eventId) =>
        (int)(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(eventId.AsSpan())) % (ulong)_ingest.Length);
}
