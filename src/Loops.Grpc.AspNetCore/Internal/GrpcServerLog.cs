using Microsoft.Extensions.Logging;

namespace Loops.Grpc.AspNetCore.Internal;

/// <summary>The transport's log messages, with stable event ids.</summary>
internal static partial class GrpcServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "No gRPC method is mapped at {Path}.")]
    public static partial void MethodNotFound(ILogger logger, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Call {Path} ended with {Status}: {StatusMessage}")]
    public static partial void CallFailed(ILogger logger, string path, StatusCode status, string statusMessage);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Call {Path} failed with an unexpected exception.")]
    public static partial void UnexpectedError(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Call {Path} was cancelled by the client.")]
    public static partial void CancelledByClient(ILogger logger, string path);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Call {Path} exceeded its deadline.")]
    public static partial void DeadlineExceeded(ILogger logger, string path);
}
