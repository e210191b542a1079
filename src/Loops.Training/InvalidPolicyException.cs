namespace Loops.Training;

/// <summary>A policy definition that cannot be accepted; the message names the field and what to fix.</summary>
public sealed class InvalidPolicyException : Exception
{
    /// <summary>Creates the exception with a message naming the offending field.</summary>
    public InvalidPolicyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InvalidPolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
