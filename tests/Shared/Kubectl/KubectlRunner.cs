using System.Diagnostics;
using System.Text;

namespace Canary.Tests.Kubectl;

/// <summary>Runs the real kubectl against a kubeconfig, with a bounded time for every call.</summary>
internal sealed class KubectlRunner : IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private readonly string _executable;
    private readonly string _directory;
    private readonly string _kubeconfig;

    private KubectlRunner(string executable, string kubeconfigText)
    {
        _executable = executable;
        _directory = Directory.CreateTempSubdirectory("canary-kubectl-").FullName;
        _kubeconfig = Path.Combine(_directory, "kubeconfig");
        File.WriteAllText(_kubeconfig, kubeconfigText);
    }

    public static bool Required => Environment.GetEnvironmentVariable("CANARY_REQUIRE_KUBECTL") == "1";

    /// <summary>The kubectl executable on PATH, or null.</summary>
    public static string? Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, OperatingSystem.IsWindows() ? "kubectl.exe" : "kubectl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A runner for the kubeconfig; fails the test with a clear message when kubectl is required but missing.</summary>
    public static KubectlRunner Create(string kubeconfigText)
    {
        var executable = Find();
        if (executable is null)
        {
            Assert.Fail("kubectl is required (CANARY_REQUIRE_KUBECTL=1) but was not found on PATH; install Debian's kubernetes-client package.");
        }

        return new KubectlRunner(executable, kubeconfigText);
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<KubectlResult> RunAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"kubectl {string.Join(' ', arguments)} did not finish within {CallTimeout.TotalSeconds} s");
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running kubectl (such as <c>get -w</c>) whose output lines arrive on a channel.</summary>
    public KubectlStream StartStreaming(params string[] arguments) => new(Start(arguments));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private Process Start(string[] arguments)
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("--kubeconfig=" + _kubeconfig);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = _directory;
        start.Environment["KUBECONFIG"] = _kubeconfig;
        start.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        start.Environment["no_proxy"] = "127.0.0.1,localhost";
        var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        process.StandardInput.Close();
        return process;
    }
}
