using Canary.Gates;
using Canary.Model;
using Canary.Testing.Time;
using Microsoft.Extensions.Options;

namespace Canary.Core.Tests.Gates;

public class CommandTestRunnerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_CommandExitsZero_Passes()
    {
        var result = await Runner().RunAsync(Request("true"), CancellationToken.None);

        result.Should().Be(new TestGateResult(true, 0));
    }

    [Fact]
    public async Task RunAsync_CommandExitsNonZero_FailsWithTheExitCode()
    {
        var result = await Runner().RunAsync(Request("false"), CancellationToken.None);

        result.Should().Be(TestGateResult.Failure("exit code 1", 1));
    }

    [Fact]
    public async Task RunAsync_ScriptWritesErrorsAndExitsThree_QuotesTheTailOfItsErrorOutput()
    {
        var script = "echo progress; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo \"line $i\" >&2; done; echo 'smoke test failed: GET /healthz returned 503' >&2; exit 3";

        var result = await Runner().RunAsync(Request(script), CancellationToken.None);

        result.ExitCode.Should().Be(3);
        result.Message.Should().Be("exit code 3: line 4 | line 5 | line 6 | line 7 | line 8 | line 9 | line 10 | line 11 | line 12 | smoke test failed: GET /healthz returned 503");
    }

    [Fact]
    public async Task RunAsync_FailsWithoutErrorOutput_QuotesItsStandardOutput()
    {
        var result = await Runner().RunAsync(Request("echo 'expected 200, got 500'; exit 2"), CancellationToken.None);

        result.Message.Should().Be("exit code 2: expected 200, got 500");
    }

    [Fact]
    public async Task RunAsync_OutlastsTheTimeout_IsKilledAndFails()
    {
        var time = new ManualTimeProvider();
        var run = Runner(time).RunAsync(Request("echo started >&2; sleep 30") with { Timeout = TimeSpan.FromMilliseconds(200) }, CancellationToken.None).AsTask();

        time.Advance(TimeSpan.FromMilliseconds(200));
        var result = await run.WaitAsync(Bound);

        result.Passed.Should().BeFalse();
        result.ExitCode.Should().BeNull();
        result.Message.Should().StartWith("timed out after 0.2s");
    }

    [Fact]
    public async Task RunAsync_Command_SeesTheCanaryInItsEnvironment()
    {
        var check = "test \"$CANARY_NAME.$CANARY_NAMESPACE $CANARY_PHASE $CANARY_CHECKSUM $CANARY_WEBHOOK\" = 'podinfo.test Progressing v2 smoke'";

        var result = await Runner().RunAsync(Request(check), CancellationToken.None);

        result.Passed.Should().BeTrue();
    }

    [Fact]
    public async Task RunAsync_CommandReadsInput_SeesItsEndInsteadOfWaiting()
    {
        var result = await Runner().RunAsync(Request("cat") with { Timeout = TimeSpan.FromSeconds(20) }, CancellationToken.None).AsTask().WaitAsync(Bound);

        result.Passed.Should().BeTrue();
    }

    [Fact]
    public async Task RunAsync_BashType_RunsWithBash()
    {
        var request = Request("[[ -n \"$BASH_VERSION\" ]]") with { Metadata = Metadata("[[ -n \"$BASH_VERSION\" ]]", "bash") };

        var result = await Runner().RunAsync(request, CancellationToken.None);

        result.Passed.Should().BeTrue();
    }

    [Fact]
    public async Task RunAsync_NoCommand_FailsNamingTheField()
    {
        var result = await Runner().RunAsync(Request("true") with { Metadata = new Dictionary<string, string>() }, CancellationToken.None);

        result.Should().Be(TestGateResult.Failure("metadata.cmd: is required: the command to run"));
    }

    [Fact]
    public async Task RunAsync_UnsupportedType_FailsNamingTheField()
    {
        var result = await Runner().RunAsync(Request("true") with { Metadata = Metadata("true", "helm") }, CancellationToken.None);

        result.Message.Should().Be("metadata.type: \"helm\" is not supported by the command test runner (supported: cmd, bash)");
    }

    [Fact]
    public async Task RunAsync_ShellMissing_FailsSayingSo()
    {
        var runner = new CommandTestRunner(Options.Create(new CommandTestRunnerOptions { Shell = "/nonexistent/sh" }), TimeProvider.System);

        var result = await runner.RunAsync(Request("true"), CancellationToken.None);

        result.Message.Should().StartWith("could not start /nonexistent/sh");
    }

    [Fact]
    public async Task RunAsync_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        var run = Runner().RunAsync(Request("sleep 30") with { Timeout = TimeSpan.FromMinutes(1) }, cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        await run.Awaiting(r => r.WaitAsync(Bound)).Should().ThrowAsync<OperationCanceledException>();
    }

    private static CommandTestRunner Runner(TimeProvider? time = null) =>
        new(Options.Create(new CommandTestRunnerOptions()), time ?? TimeProvider.System);

    private static TestGateRequest Request(string command) => new(
        "smoke",
        WebhookType.PreRollout,
        new CanaryId("podinfo", "test"),
        CanaryPhase.Progressing,
        "v2",
        TimeSpan.FromSeconds(20),
        new Uri("exec://smoke"),
        Metadata(command));

    private static Dictionary<string, string> Metadata(string command, string type = "cmd") => new() { ["type"] = type, ["cmd"] = command };
}
