using Canary.Validation;
using Microsoft.Extensions.Logging;

namespace Canary.Kubernetes.Workloads;

/// <summary>How a <see cref="KubernetesObjectCache"/> watches and when it reads from the server instead.</summary>
public sealed class KubernetesObjectCacheOptions
{
    /// <summary>Gets or sets how long the first read of a resource type in a namespace waits for its informer's first list.</summary>
    /// <value>
    /// The default is 10 seconds. While an informer has not listed (the type is not served, or list and watch are forbidden),
    /// reads go to the server; after this wait has run out once, later reads do not wait again.
    /// </value>
    public TimeSpan SyncTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets a value indicating whether Secrets are cached; when not, every read of a Secret is a GET.</summary>
    /// <value>The default is <see langword="true"/>: a workload whose pods reference Secrets is then checked without requests.</value>
    /// <remarks>A cached namespace keeps every Secret of that namespace in memory; turn this off where that is not acceptable.</remarks>
    public bool CacheSecrets { get; set; } = true;

    /// <summary>Gets or sets how long each watch of the informers stays open before it is renewed.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the first delay of an informer after a failure; it doubles up to 30 seconds.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the clock of the informers' backoff and of <see cref="SyncTimeout"/>, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets where the informers log, or <see langword="null"/> for nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each naming its property; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (SyncTimeout < TimeSpan.Zero || SyncTimeout > TimeSpan.FromHours(1))
        {
            errors.Add(new(nameof(SyncTimeout), "must be between 0 and 1 hour"));
        }

        if (WatchTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add(new(nameof(WatchTimeout), "must be at least 1 second"));
        }

        if (MinBackoff < TimeSpan.Zero || MinBackoff > TimeSpan.FromSeconds(30))
        {
            errors.Add(new(nameof(MinBackoff), "must be between 0 and 30 seconds"));
        }

        return errors;
    }
}
