namespace Canary.Packaging.Tests;

/// <summary>What one <c>dotnet</c> command printed.</summary>
internal sealed record DotnetRun(int ExitCode, string Output, string Error)
{
    /// <summary>Gets both streams, for assertion messages.</summary>
    public string Transcript => $"{Output}\n{Error}";
}
