namespace Canary.Metrics.CloudWatch.Credentials;

/// <summary>
/// What the AWS credential sources read from the process: environment variables, files and the home folder. Tests give
/// their own; the provider uses <see cref="Process"/>.
/// </summary>
internal sealed class AwsEnvironment
{
    private readonly Func<string, string?> _variable;
    private readonly Func<string, string?> _readFile;

    /// <summary>Initializes a new instance of the <see cref="AwsEnvironment"/> class.</summary>
    /// <param name="variable">Reads an environment variable.</param>
    /// <param name="readFile">Reads a whole file, or returns <see langword="null"/> when it does not exist.</param>
    /// <param name="home">The user's home folder, or <see langword="null"/>.</param>
    public AwsEnvironment(Func<string, string?> variable, Func<string, string?> readFile, string? home)
    {
        _variable = variable;
        _readFile = readFile;
        Home = home;
    }

    /// <summary>Gets this process's environment.</summary>
    public static AwsEnvironment Process { get; } = new(
        Environment.GetEnvironmentVariable,
        static path => File.Exists(path) ? File.ReadAllText(path) : null,
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>Gets the user's home folder, or <see langword="null"/>.</summary>
    public string? Home { get; }

    /// <summary>Reads a variable; an empty one counts as unset, as the AWS SDKs count it.</summary>
    /// <param name="name">The variable.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public string? Variable(string name) => _variable(name) is { Length: > 0 } value ? value : null;

    /// <summary>Reads a file.</summary>
    /// <param name="path">The path; a leading <c>~/</c> is the home folder.</param>
    /// <returns>The text, or <see langword="null"/> when the file does not exist.</returns>
    public string? ReadFile(string path) => _readFile(ExpandHome(path));

    /// <summary>Expands a leading <c>~/</c> to the home folder.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The path without <c>~</c>.</returns>
    public string ExpandHome(string path) =>
        Home is not null && path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Home, path[2..]) : path;
}
