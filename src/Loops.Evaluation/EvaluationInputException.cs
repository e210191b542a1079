namespace Loops.Evaluation;

/// <summary>
/// Bad input to an evaluation: a missing file, a malformed column, probabilities that do not sum to 1. The message
/// says what is wrong and where, so that the user can fix it.
/// </summary>
public sealed class EvaluationInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EvaluationInputException()
    {
    }

    /// <summary>Creates the exception with a message saying what to fix.</summary>
    /// <param name="message">The message.</param>
    public EvaluationInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EvaluationInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
