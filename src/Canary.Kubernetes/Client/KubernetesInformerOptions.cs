using Canary.Validation;
using Microsoft.Extensions.Logging;

namespace Canary.Kubernetes.Client;

/// <summary>What a <see cref="KubernetesInformer"/> watches and how it recovers.</summary>
public sealed class KubernetesInformerOptions
{
    /// <summary>Gets or sets the label selector, or <see langword="null"/> for every object.</summary>
    public string? LabelSelector { get; set; }

    /// <summary>Gets or sets the field selector, or <see langword="null"/>.</summary>
    public string? FieldSelector { get; set; }

    /// <summary>Gets or sets the page size of the initial list and of every re-list.</summary>
    /// <value>The default is 500.</value>
    public int PageSize { get; set; } = 500;

    /// <summary>Gets or sets how long each watch stays open before the server ends it and the informer watches again.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the first delay after a failure; each further failure in a row doubles it up to <see cref="MaxBackoff"/>.</summary>
    /// <value>The default is 1 second. <see cref="TimeSpan.Zero"/> retries at once, which tests use.</value>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest delay between attempts after failures.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the clock for backoff delays, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets where failures and re-lists are logged, or <see langword="null"/> for nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each naming its property; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (PageSize < 1)
        {
            errors.Add(new(nameof(PageSize), "must be at least 1"));
        }

        if (WatchTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add(new(nameof(WatchTimeout), "must be at least 1 second"));
        }

        if (MinBackoff < TimeSpan.Zero)
        {
            errors.Add(new(nameof(MinBackoff), "must not be negative"));
        }

        if (MaxBackoff < MinBackoff)
        {
            errors.Add(new(nameof(MaxBackoff), "must not be less than MinBackoff"));
        }

        return errors;
    }
}
