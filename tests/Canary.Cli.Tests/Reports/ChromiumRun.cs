namespace Canary.Cli.Tests.Reports;

/// <summary>What one headless chromium run printed.</summary>
internal sealed record ChromiumRun(int ExitCode, string Output, string Error)
{
    /// <summary>Gets the lines of the page's console (uncaught errors, blocked loads) from chromium's log.</summary>
    public IReadOnlyList<string> ConsoleLines => Error
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(line => line.Contains(":CONSOLE", StringComparison.Ordinal))
        .ToList();
}
