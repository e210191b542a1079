namespace Loops.Simulation.Scenarios;

/// <summary>A scenario file that cannot be read or is invalid; the message names every problem and its field.</summary>
public sealed class ScenarioException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScenarioException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ScenarioException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
