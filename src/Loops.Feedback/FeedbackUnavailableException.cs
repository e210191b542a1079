namespace Loops.Feedback;

/// <summary>
/// A feedback store cannot accept a record now (for example its backing service is unreachable and its local spool
/// is full); nothing was recorded, and the caller may retry after <see cref="RetryAfter"/>.
/// </summary>
public sealed class FeedbackUnavailableException : Exception
{
    /// <summary>Creates the exception with the time after which a retry may succeed.</summary>
    public FeedbackUnavailableException(string message, TimeSpan retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception with a one-second retry hint.</summary>
    public FeedbackUnavailableException()
        : this("The feedback store cannot accept records now.", TimeSpan.FromSeconds(1))
    {
    }

    /// <summary>Creates the exception with a one-second retry hint.</summary>
    public FeedbackUnavailableException(string message)
        : this(message, TimeSpan.FromSeconds(1))
    {
    }

    /// <summary>Creates the exception with a one-second retry hint and a cause.</summary>
    public FeedbackUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        RetryAfter = TimeSpan.FromSeconds(1);
    }

    /// <summary>How long the caller should wait before retrying.</summary>
    public TimeSpan RetryAfter { get; }
}
