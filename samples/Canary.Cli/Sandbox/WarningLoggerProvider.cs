using Microsoft.Extensions.Logging;

namespace Canary.Cli.Sandbox;

/// <summary>
/// Writes warnings and errors of the engine, the controller and the client as one line each to the command's error stream, so
/// that a failing step or an unreachable API shows without a logging setup. The engine's events, which it also logs, are left
/// out: the verbs print them to the output already.
/// </summary>
internal sealed class WarningLoggerProvider(TextWriter error, LogLevel minimum = LogLevel.Warning) : ILoggerProvider
{
    private const string EngineCategory = "Canary.Engine.CanaryEngine";
    private const int FirstEventId = 1000;

    public ILogger CreateLogger(string categoryName) => new LineLogger(error, minimum, categoryName == EngineCategory);

    public void Dispose()
    {
    }

    private sealed class LineLogger(TextWriter error, LogLevel minimum, bool skipEvents) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel) || (skipEvents && IsCanaryEvent(eventId)))
            {
                return;
            }

            var level = logLevel >= LogLevel.Error ? "error" : "warn ";
            var cause = exception is null ? string.Empty : $": {exception.Message}";
            error.WriteLine($"{level} {formatter(state, exception)}{cause}");
        }

        // The engine logs each CanaryEvent with the id 1000 + its type and the type's name.
        private static bool IsCanaryEvent(EventId eventId) =>
            eventId.Id >= FirstEventId && Enum.TryParse<Canary.Events.CanaryEventType>(eventId.Name, out var type) && eventId.Id == FirstEventId + (int)type;
    }
}
