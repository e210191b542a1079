namespace Loops.Feedback.Redis;

/// <summary>Settings of a <see cref="RedisFeedbackStore"/>; validated when the store is opened.</summary>
public sealed class RedisFeedbackStoreOptions
{
    /// <summary>The Redis server, as <c>host:port</c> or a StackExchange.Redis configuration string. Required.</summary>
    public string Configuration { get; set; } = string.Empty;

    /// <summary>The prefix of every key the store uses, so several deployments (or tests) can share one Redis. Default <c>loops</c>.</summary>
    public string KeyPrefix { get; set; } = "loops";

    /// <summary>
    /// How many ingest streams decisions and rewards are spread over (by a hash of the event id, so a decision and its
    /// rewards share one). Every process must use the same number. Default 4.
    /// </summary>
    public int Partitions { get; set; } = 4;

    /// <summary>The directory of the local spool that keeps records while Redis is unreachable. Required.</summary>
    public string SpoolDirectory { get; set; } = string.Empty;

    /// <summary>The largest spool; beyond it records are refused with <see cref="FeedbackUnavailableException"/>. Default 256 MiB.</summary>
    public long MaxSpoolBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long one Redis call may take before the record goes to the spool instead. Default 5 s.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an entry may stay delivered to a joiner without being applied before another joiner takes it over. Default 10 s.</summary>
    public TimeSpan ClaimIdleTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long after its deadline a decision is joined at the earliest, covering clock differences between processes
    /// and rewards still in flight. Default 2 s.
    /// </summary>
    public TimeSpan JoinDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many joined events the joined stream keeps (approximately) for trainers to catch up from. Default 1,000,000.</summary>
    public long JoinedRetention { get; set; } = 1_000_000;

    /// <summary>How long rewards for an event id with no decision (yet) are kept. Default 10 minutes.</summary>
    public TimeSpan OrphanRewardTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the joiner and the joined-stream readers wait when they found nothing to do. Default 50 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>This process's name in the joiners' consumer group; unique per process when empty (the default).</summary>
    public string ConsumerName { get; set; } = string.Empty;

    /// <summary>The most entries read, applied or joined in one Redis call. Default 512.</summary>
    public int MaxBatch { get; set; } = 512;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option.</summary>
    internal void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Configuration), nameof(Configuration), "must name the Redis server (host:port)");
        Require(!string.IsNullOrWhiteSpace(KeyPrefix), nameof(KeyPrefix), "must not be empty");
        Require(Partitions is >= 1 and <= 1024, nameof(Partitions), $"must be between 1 and 1024 but was {Partitions}");
        Require(!string.IsNullOrWhiteSpace(SpoolDirectory), nameof(SpoolDirectory), "must name a directory");
        Require(MaxSpoolBytes >= 4096, nameof(MaxSpoolBytes), $"must be at least 4096 but was {MaxSpoolBytes}");
        Require(OperationTimeout > TimeSpan.Zero, nameof(OperationTimeout), $"must be positive but was {OperationTimeout}");
        Require(ClaimIdleTime > TimeSpan.Zero, nameof(ClaimIdleTime), $"must be positive but was {ClaimIdleTime}");
        Require(JoinDelay >= TimeSpan.Zero, nameof(JoinDelay), $"must not be negative but was {JoinDelay}");
        Require(JoinedRetention >= 1, nameof(JoinedRetention), $"must be positive but was {JoinedRetention}");
        Require(OrphanRewardTtl > TimeSpan.Zero, nameof(OrphanRewardTtl), $"must be positive but was {OrphanRewardTtl}");
        Require(PollInterval > TimeSpan.Zero, nameof(PollInterval), $"must be positive but was {PollInterval}");
        Require(MaxBatch is >= 1 and <= 4096, nameof(MaxBatch), $"must be between 1 and 4096 but was {MaxBatch}");
    }

    internal RedisFeedbackStoreOptions Copy() => (RedisFeedbackStoreOptions)MemberwiseClone();

    private static void Require(bool valid, string option, string problem)
    {
        if (!valid)
        {
            throw new ArgumentException($"{nameof(RedisFeedbackStoreOptions)}.{option} {problem}.", option);
        }
    }
}
