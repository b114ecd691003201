using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Canary.Gates;

/// <summary>
/// Runs a webhook's <c>metadata.cmd</c> as a local process and passes the gate when it exits with status 0. The command
/// runs through a shell (<c>/bin/sh -c</c> for <c>metadata.type</c> <c>cmd</c> or no type, <c>bash -c</c> for
/// <c>bash</c>), with <c>CANARY_NAME</c>, <c>CANARY_NAMESPACE</c>, <c>CANARY_PHASE</c>, <c>CANARY_CHECKSUM</c> and
/// <c>CANARY_WEBHOOK</c> in its environment. Unlike Flagger's load tester, whose <c>cmd</c> returns 202 at once and
/// runs in the background, the run is synchronous: the gate reports the command's exit status. A run that outlasts the
/// webhook's timeout is killed with its child processes and fails.
/// </summary>
/// <remarks>A spec's author can run any command on the host, so hosts opt in with <c>AddCommandTestGates()</c>.</remarks>
/// <param name="options">The runner's options.</param>
/// <param name="timeProvider">The clock for timeouts: the system clock, unless a test drives it.</param>
public sealed class CommandTestRunner(IOptions<CommandTestRunnerOptions> options, TimeProvider timeProvider) : ITestGate
{
    /// <summary>The metadata key that holds the command.</summary>
    public const string CommandKey = "cmd";

    /// <summary>The metadata key that selects the shell: <c>cmd</c> (the default) or <c>bash</c>.</summary>
    public const string TypeKey = "type";

    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    private readonly CommandTestRunnerOptions _options = options?.Value ?? new CommandTestRunnerOptions();

    /// <inheritdoc />
    public async ValueTask<TestGateResult> RunAsync(TestGateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Metadata.TryGetValue(CommandKey, out var command) || string.IsNullOrWhiteSpace(command))
        {
            return TestGateResult.Failure($"metadata.{CommandKey}: is required: the command to run");
        }

        var type = request.Metadata.GetValueOrDefault(TypeKey, CommandKey);
        var shell = type switch
        {
            CommandKey => _options.Shell,
            "bash" => _options.Bash,
            _ => null,
        };
        if (shell is null)
        {
            return TestGateResult.Failure($"metadata.{TypeKey}: \"{type}\" is not supported by the command test runner (supported: cmd, bash)");
        }

        if (request.Timeout <= TimeSpan.Zero && request.Timeout != Timeout.InfiniteTimeSpan)
        {
            return TestGateResult.Failure($"timeout must be positive, not {request.Timeout}");
        }

        // Created before the first await, so that a test's manual clock can time the run out deterministically.
        using var timeout = new CancellationTokenSource(request.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var errors = new OutputTail(_options.OutputTailLines, _options.MaxLineLength);
        var output = new OutputTail(_options.OutputTailLines, _options.MaxLineLength);
        using var process = new Process { StartInfo = StartInfo(shell, command, request) };
        process.ErrorDataReceived += (_, e) => errors.Add(e.Data);
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception exception) when (exception is Win32Exception or InvalidOperationException)
        {
            return TestGateResult.Failure($"could not start {shell}: {exception.Message}");
        }

        // A test that reads its input sees the end of it rather than waiting for the timeout.
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(process);
            cancellationToken.ThrowIfCancellationRequested();
            return TestGateResult.Failure($"timed out after {request.Timeout.TotalSeconds:0.###}s{Quote(errors, output)}");
        }

        return process.ExitCode == 0
            ? new TestGateResult(true, 0)
            : TestGateResult.Failure($"exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}{Quote(errors, output)}", process.ExitCode);
    }

    private ProcessStartInfo StartInfo(string shell, string command, TestGateRequest request)
    {
        var startInfo = new ProcessStartInfo(shell)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (_options.WorkingDirectory is { } directory)
        {
            startInfo.WorkingDirectory = directory;
        }

        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(command);
        startInfo.Environment["CANARY_NAME"] = request.Canary.Name;
        startInfo.Environment["CANARY_NAMESPACE"] = request.Canary.Namespace;
        startInfo.Environment["CANARY_PHASE"] = request.Phase.ToString();
        startInfo.Environment["CANARY_CHECKSUM"] = request.Checksum;
        startInfo.Environment["CANARY_WEBHOOK"] = request.Name;
        return startInfo;
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(KillGrace);
        }
        catch (Exception exception) when (exception is InvalidOperationException or Win32Exception or TimeoutException)
        {
            // It exited on its own meanwhile, or will be reaped by the runtime; either way it no longer holds the gate.
        }
    }

    /// <summary>Quotes the error output's tail, or the standard output's when the test wrote no errors.</summary>
    private static string Quote(OutputTail errors, OutputTail output)
    {
        var tail = errors.ToString();
        if (tail.Length == 0)
        {
            tail = output.ToString();
        }

        return tail.Length == 0 ? string.Empty : ": " + tail;
    }
}
