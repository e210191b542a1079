namespace Loops.Evaluation;

/// <summary>The layouts of logged events that an evaluation reads.</summary>
public enum LogFormat
{
    /// <summary>The Open Bandit Dataset CSV layout (<see cref="ObdLogReader"/>).</summary>
    Obd,

    /// <summary>The joined-event log of a Loops data directory (<see cref="JoinedEventLogReader"/>).</summary>
    Loops,
}
