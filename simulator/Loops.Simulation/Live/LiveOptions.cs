namespace Loops.Simulation.Live;

/// <summary>How to run Loops strategies against a live service.</summary>
public sealed record LiveOptions
{
    /// <summary>The service address, e.g. http://127.0.0.1:5000.</summary>
    public required Uri Target { get; init; }

    /// <summary>
    /// Real milliseconds per simulated decision: decision i is sent no earlier than i × this after the start, and
    /// delays and the reward window (in simulated time) are scaled the same way. Default 1.
    /// </summary>
    public double StepMilliseconds { get; init; } = 1;

    /// <summary>Decisions in flight at once. Default 16.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Makes the policy names of this run unique on the service, e.g. a timestamp or a random id.</summary>
    public required string RunId { get; init; }

    /// <summary>The clock used for pacing; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
