namespace Loops.Grpc;

/// <summary>Options of one client call.</summary>
public readonly record struct CallOptions
{
    /// <summary>How long the call may take; sent as <c>grpc-timeout</c> and enforced locally. Null: no deadline.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Extra request headers (metadata), e.g. authorization.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }

    /// <summary>Cancels the call.</summary>
    public CancellationToken CancellationToken { get; init; }
}
