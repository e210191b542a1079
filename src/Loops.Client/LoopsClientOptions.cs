namespace Loops.Client;

/// <summary>Options of a <see cref="LoopsClient"/>.</summary>
public sealed record LoopsClientOptions
{
    /// <summary>The deadline of each call unless the caller's token ends it first. Default 5 s; null: none.</summary>
    public TimeSpan? Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Headers sent with every call, e.g. an authorization token.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }
}
