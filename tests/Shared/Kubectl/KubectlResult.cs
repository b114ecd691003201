namespace Canary.Tests.Kubectl;

/// <summary>The outcome of one kubectl call.</summary>
internal sealed record KubectlResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}
