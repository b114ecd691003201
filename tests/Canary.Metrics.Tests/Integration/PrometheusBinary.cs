namespace Canary.Metrics.Tests.Integration;

/// <summary>Finds the <c>prometheus</c> server binary that the test command (test.sh) installs.</summary>
internal static class PrometheusBinary
{
    public const string RequireVariable = "CANARY_REQUIRE_PROMETHEUS";

    public static string? Path { get; } = Find();

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    public static string MissingMessage =>
        "the prometheus binary is not on PATH: run ./test.sh, or eng/deps/apt-install.sh prometheus=prometheus, to install it" +
        (Required ? $" ({RequireVariable}=1 makes this a failure instead of a skip)." : $", or set {RequireVariable}=1 to fail instead of skipping.");

    private static string? Find()
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories.Select(d => System.IO.Path.Combine(d, "prometheus")).FirstOrDefault(File.Exists);
    }
}
