namespace Loops.Constraints;

/// <summary>A constraint definition is malformed or refers to something the policy does not declare; the message names the field.</summary>
public sealed class ConstraintDefinitionException : Exception
{
    /// <summary>Creates the exception with a message naming the field to fix.</summary>
    public ConstraintDefinitionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception without a message.</summary>
    public ConstraintDefinitionException()
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ConstraintDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
