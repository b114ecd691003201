using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Canary.Core.Tests.Support;

/// <summary>A logger that keeps every message with its exception's text, for tests that assert on what is logged.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _entries.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}");
    }
}
