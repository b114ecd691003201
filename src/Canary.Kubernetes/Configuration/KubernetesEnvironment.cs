namespace Canary.Kubernetes.Configuration;

/// <summary>
/// The parts of the process environment that configuration loading reads: environment variables, the home directory, the
/// service-account mount, the clock and the exec plugin timeout. Tests replace them; production code uses <see cref="System"/>.
/// </summary>
public sealed record KubernetesEnvironment
{
    /// <summary>The default directory where Kubernetes mounts a pod's service-account token, CA and namespace.</summary>
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>Gets the real process environment.</summary>
    public static KubernetesEnvironment System { get; } = new();

    /// <summary>Gets the function that reads an environment variable.</summary>
    /// <value>The default is <see cref="Environment.GetEnvironmentVariable(string)"/>.</value>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Gets the home directory that holds <c>.kube/config</c>.</summary>
    /// <value>The default is <see langword="null"/>: <c>$HOME</c>, else the user profile folder.</value>
    public string? HomeDirectory { get; init; }

    /// <summary>Gets the directory holding the service-account <c>token</c>, <c>ca.crt</c> and <c>namespace</c> files.</summary>
    /// <value>The default is <see cref="DefaultServiceAccountDirectory"/>.</value>
    public string ServiceAccountDirectory { get; init; } = DefaultServiceAccountDirectory;

    /// <summary>Gets the character that separates the files listed in <c>KUBECONFIG</c>.</summary>
    /// <value>The default is <see cref="Path.PathSeparator"/>: <c>:</c> on Unix, <c>;</c> on Windows.</value>
    public char PathListSeparator { get; init; } = Path.PathSeparator;

    /// <summary>Gets the clock used for token re-reads, exec credential expiry and the exec timeout.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets how long an exec credential plugin may run before it is stopped.</summary>
    /// <value>The default is two minutes.</value>
    public TimeSpan ExecTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets how long a token read from a file is used before the file is read again, so that rotated tokens are picked up.</summary>
    /// <value>The default is one minute, as in client-go.</value>
    public TimeSpan TokenFileRefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    internal string? ResolveHomeDirectory()
    {
        if (!string.IsNullOrEmpty(HomeDirectory))
        {
            return HomeDirectory;
        }

        var home = GetEnvironmentVariable("HOME");
        if (!string.IsNullOrEmpty(home))
        {
            return home;
        }

        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(profile) ? null : profile;
    }
}
