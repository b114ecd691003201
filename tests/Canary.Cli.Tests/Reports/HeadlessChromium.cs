using System.Diagnostics;
using System.Text;

namespace Canary.Cli.Tests.Reports;

/// <summary>
/// Runs Debian's <c>chromium</c> headless on a local file, with no network features, a throw-away profile and a bounded
/// time per run. Test command (test.sh) installs it and sets <c>CANARY_REQUIRE_CHROMIUM=1</c>.
/// </summary>
internal static class HeadlessChromium
{
    public const string RequireVariable = "CANARY_REQUIRE_CHROMIUM";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);
    private static readonly string[] Names = ["chromium", "chromium-browser"];

    public static string? Executable { get; } = Find();

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    public static string MissingMessage =>
        "chromium is not on PATH: run ./test.sh, or eng/deps/apt-install.sh chromium=chromium, to install it" +
        (Required ? $" ({RequireVariable}=1 makes this a failure instead of a skip)." : $", or set {RequireVariable}=1 to fail instead of skipping.");

    /// <summary>Loads the page, runs its scripts, and returns the DOM as serialized afterwards, with the console log.</summary>
    public static Task<ChromiumRun> DumpDomAsync(string htmlPath) =>
        RunAsync(["--enable-logging=stderr", "--v=0", "--dump-dom", new Uri(htmlPath).AbsoluteUri]);

    /// <summary>Takes a PNG screenshot of the page's top at the given window size.</summary>
    public static Task<ChromiumRun> ScreenshotAsync(string htmlPath, string pngPath, int width, int height) =>
        RunAsync([$"--screenshot={pngPath}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(htmlPath).AbsoluteUri]);

    private static async Task<ChromiumRun> RunAsync(IEnumerable<string> arguments)
    {
        if (Executable is null)
        {
            Assert.Fail(MissingMessage);
        }

        var profile = Directory.CreateTempSubdirectory("canary-chromium-");
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            foreach (var flag in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile.FullName,
            }.Concat(arguments))
            {
                start.ArgumentList.Add(flag);
            }

            // Chromium keeps caches and an NSS database under HOME; the profile folder takes them, so nothing is left behind.
            start.Environment["HOME"] = profile.FullName;
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(RunTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"chromium did not finish within {RunTimeout.TotalSeconds} s");
            }

            return new ChromiumRun(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A helper process may still hold a file for a moment; a leftover temp folder is harmless.
            }
        }
    }

    private static string? Find()
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories.SelectMany(d => Names.Select(n => Path.Combine(d, n))).FirstOrDefault(File.Exists);
    }
}
