namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>
/// Tests that write a script and then run it share this collection so they never run in parallel: a process forked by one test
/// while another is still writing its script inherits the open file for a moment, and running that script then fails with
/// "Text file busy".
/// </summary>
[CollectionDefinition(Name)]
public sealed class ExecPluginTests
{
    public const string Name = "Exec plugins";
}
