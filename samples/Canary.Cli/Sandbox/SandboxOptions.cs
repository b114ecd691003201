using Canary.Cli.Demo;
using Canary.Model;
using Canary.Validation;

namespace Canary.Cli.Sandbox;

/// <summary>Settings of a <see cref="SandboxEnvironment"/>.</summary>
internal sealed class SandboxOptions
{
    /// <summary>Gets or sets the provider of canaries whose spec names none; its routing CRDs are installed.</summary>
    public string Provider { get; set; } = TrafficProviders.Nginx;

    /// <summary>Gets or sets the API server's port on 127.0.0.1, or 0 for a free one.</summary>
    public int Port { get; set; }

    /// <summary>Gets or sets where the kubeconfig is written.</summary>
    public string KubeconfigPath { get; set; } = "canary-sandbox.kubeconfig";

    /// <summary>Gets or sets the users' requests per second to each canary's app.</summary>
    public double RequestsPerSecond { get; set; } = 20;

    /// <summary>Gets or sets the seed of the pods, the proxies and the users.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Gets the behaviour of each app version (image tag); others are healthy.</summary>
    public IDictionary<string, DemoPodBehavior> Versions { get; } = new Dictionary<string, DemoPodBehavior>(StringComparer.Ordinal)
    {
        [DemoVersions.V1] = DemoVersions.Healthy,
        [DemoVersions.V2] = DemoVersions.Healthy,
        [DemoVersions.V3] = DemoVersions.Faulty,
    };

    /// <summary>Gets or sets how long running steps may take to finish once the sandbox is stopped.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each naming its command-line option.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (!TrafficProviders.IsKnown(Provider) || Provider.Contains(':', StringComparison.Ordinal))
        {
            errors.Add(new($"--provider {Provider}", $"not a provider the sandbox serves (known: {string.Join(", ", TrafficProviders.All)})"));
        }

        if (Port is < 0 or > 65535)
        {
            errors.Add(new($"--port {Port}", "must be between 0 (a free port) and 65535"));
        }

        if (string.IsNullOrWhiteSpace(KubeconfigPath))
        {
            errors.Add(new("--kubeconfig", "must name a file"));
        }
        else if (Path.GetDirectoryName(Path.GetFullPath(KubeconfigPath)) is { } directory && !Directory.Exists(directory))
        {
            errors.Add(new($"--kubeconfig {KubeconfigPath}", $"the directory {directory} does not exist"));
        }

        if (!(RequestsPerSecond is >= 1 and <= 1000))
        {
            errors.Add(new($"--requests-per-second {RequestsPerSecond}", "must be between 1 and 1000"));
        }

        return errors;
    }
}
