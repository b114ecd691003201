using Canary.Validation;

namespace Canary.Kubernetes.Leadership;

/// <summary>The Lease a <see cref="LeaseLeaderElector"/> competes for, and its timing (client-go's defaults).</summary>
public sealed class LeaseLeaderElectorOptions
{
    /// <summary>Gets or sets the Lease's name.</summary>
    /// <value>The default is <c>canary-leader-election</c>.</value>
    public string LeaseName { get; set; } = "canary-leader-election";

    /// <summary>Gets or sets the Lease's namespace.</summary>
    /// <value>The default is <c>default</c>; in a cluster, use the pod's own namespace.</value>
    public string LeaseNamespace { get; set; } = "default";

    /// <summary>Gets or sets this candidate's identity, unique among the candidates.</summary>
    /// <value>The default is the machine (pod) name and a random suffix.</value>
    public string Identity { get; set; } = $"{Environment.MachineName}_{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Gets or sets how long others wait, from the last change they saw of the Lease, before they take it over.</summary>
    /// <value>The default is 15 seconds.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets how long the leader may go without renewing before it stops acting as leader.</summary>
    /// <value>The default is 10 seconds; it must be shorter than <see cref="LeaseDuration"/>.</value>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how often candidates try to acquire, and the leader to renew, the Lease.</summary>
    /// <value>The default is 2 seconds; <see cref="RenewDeadline"/> must be more than 1.2 times it.</value>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each naming its property; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(LeaseName))
        {
            errors.Add(new(nameof(LeaseName), "is required"));
        }

        if (string.IsNullOrWhiteSpace(LeaseNamespace))
        {
            errors.Add(new(nameof(LeaseNamespace), "is required"));
        }

        if (string.IsNullOrWhiteSpace(Identity))
        {
            errors.Add(new(nameof(Identity), "is required"));
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1) || LeaseDuration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add(new(nameof(LeaseDuration), "must be a whole number of seconds, at least 1 (the Lease stores seconds)"));
        }

        if (RetryPeriod <= TimeSpan.Zero)
        {
            errors.Add(new(nameof(RetryPeriod), "must be positive"));
        }

        if (RenewDeadline >= LeaseDuration)
        {
            errors.Add(new(nameof(RenewDeadline), "must be shorter than LeaseDuration"));
        }

        if (RenewDeadline <= RetryPeriod * 1.2)
        {
            errors.Add(new(nameof(RenewDeadline), "must be more than 1.2 times RetryPeriod"));
        }

        return errors;
    }
}
