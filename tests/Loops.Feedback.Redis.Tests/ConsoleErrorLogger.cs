using Microsoft.Extensions.Logging;

namespace Loops.Feedback.Redis.Tests;

/// <summary>Writes warnings and errors to standard error, so a failing test shows why the store struggled.</summary>
internal sealed class ConsoleErrorLogger<T> : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
