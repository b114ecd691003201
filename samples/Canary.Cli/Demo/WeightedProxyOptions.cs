using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Validation;
using Microsoft.Extensions.Logging;

namespace Canary.Cli.Demo;

/// <summary>Settings of a <see cref="WeightedProxy"/>: which provider's objects to obey, and the names of the app's objects.</summary>
public sealed class WeightedProxyOptions
{
    /// <summary>Gets or sets the traffic provider whose objects route the requests, as a spec's <c>provider</c> field names it.</summary>
    /// <value>The default is <c>nginx</c>. A version suffix picks the API version: <c>smi:v1alpha2</c>, <c>gatewayapi:v1beta1</c>.</value>
    public string Provider { get; set; } = TrafficProviders.Nginx;

    /// <summary>Gets or sets the app's namespace.</summary>
    /// <value>The default is <c>test</c>.</value>
    public string Namespace { get; set; } = "test";

    /// <summary>Gets or sets the target Deployment (the canary); the primary is <c>TARGET-primary</c>.</summary>
    /// <value>The default is <c>podinfo</c>.</value>
    public string TargetName { get; set; } = "podinfo";

    /// <summary>Gets or sets the apex Service; <c>SERVICE-primary</c> and <c>SERVICE-canary</c> are the others. <see langword="null"/> uses <see cref="TargetName"/>.</summary>
    public string? ServiceName { get; set; }

    /// <summary>Gets or sets the user's Ingress (nginx), and the <c>ingress</c> label of the metrics. <see langword="null"/> uses the Service name.</summary>
    public string? IngressName { get; set; }

    /// <summary>Gets or sets the TraefikService, TrafficSplit or HTTPRoute to obey. <see langword="null"/> uses the Service name, as the routers name them.</summary>
    public string? RouteName { get; set; }

    /// <summary>Gets or sets the Services' port, for backends that name none.</summary>
    /// <value>The default is 80.</value>
    public int ServicePort { get; set; } = 80;

    /// <summary>
    /// Gets or sets the resource type of the routing object, replacing the provider's default (for example Linkerd's
    /// <c>policy.linkerd.io/v1beta2</c> HTTPRoute, or <c>traefik.containo.us/v1alpha1</c> TraefikServices). Its kind
    /// (<c>Ingress</c>, <c>TraefikService</c>, <c>TrafficSplit</c>, <c>HTTPRoute</c>) decides how it is read.
    /// </summary>
    public ResourceType? RouteResource { get; set; }

    /// <summary>Gets or sets the prefix of ingress-nginx's annotations.</summary>
    /// <value>The default is <c>nginx.ingress.kubernetes.io</c>.</value>
    public string NginxAnnotationPrefix { get; set; } = "nginx.ingress.kubernetes.io";

    /// <summary>Gets or sets the seed of the weighted draws and of the choice among a Service's pods.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Gets or sets how long the proxy waits for a pod's answer before it answers 504.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the clock of the metrics' windows and durations, or <see langword="null"/> for the system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets where watch failures are logged, or <see langword="null"/> for nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal string ResolvedService => ServiceName ?? TargetName;

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each naming its property; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(Provider) || !TrafficProviders.IsKnown(Provider))
        {
            errors.Add(new(nameof(Provider), $"must be one of {string.Join(", ", TrafficProviders.All)}, not \"{Provider}\""));
        }

        foreach (var (name, value) in new[] { (nameof(Namespace), Namespace), (nameof(TargetName), TargetName), (nameof(NginxAnnotationPrefix), NginxAnnotationPrefix) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add(new(name, "is required"));
            }
        }

        foreach (var (name, value) in new[] { (nameof(ServiceName), ServiceName), (nameof(IngressName), IngressName), (nameof(RouteName), RouteName) })
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                errors.Add(new(name, "must not be empty; leave it null for the default"));
            }
        }

        if (ServicePort is < 1 or > 65535)
        {
            errors.Add(new(nameof(ServicePort), $"must be between 1 and 65535, not {ServicePort}"));
        }

        if (UpstreamTimeout <= TimeSpan.Zero)
        {
            errors.Add(new(nameof(UpstreamTimeout), "must be positive"));
        }

        if (RouteResource is { Kind: not ("Ingress" or "TraefikService" or "TrafficSplit" or "HTTPRoute") } resource)
        {
            errors.Add(new(nameof(RouteResource), $"must be an Ingress, TraefikService, TrafficSplit or HTTPRoute type, not {resource.Kind}"));
        }

        return errors;
    }
}
