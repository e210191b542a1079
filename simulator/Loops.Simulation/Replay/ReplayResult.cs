namespace Loops.Simulation.Replay;

/// <summary>
/// A policy's value estimated by the replay method: the mean reward over the events where its choice matched the
/// log, with a 95% normal interval; and how many events were read, accepted (after rejection to uniform) and matched.
/// </summary>
internal sealed record ReplayResult(string Policy, int Events, int Accepted, int Matched, double Value, double Low, double High);
