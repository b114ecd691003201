using Canary.Kubernetes.Client;
using Canary.Kubernetes.Routing.GatewayApi;
using Canary.Kubernetes.Routing.Kubernetes;
using Canary.Kubernetes.Routing.LabelRatio;
using Canary.Kubernetes.Routing.Nginx;
using Canary.Kubernetes.Routing.Smi;
using Canary.Kubernetes.Routing.Traefik;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the Kubernetes traffic routers to Canary's engine. Each router takes the <see cref="IKubernetesApi"/> registered in the
/// container (the Kubernetes package's client registration, or a host's own). Adding a router twice registers it once.
/// </summary>
public static class RoutingCanaryBuilderExtensions
{
    /// <summary>Adds the <c>label-ratio</c> router: traffic split by replica counts behind one Service.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the traffic label and isolation, or <see langword="null"/>.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddLabelRatioRouter(this ICanaryBuilder builder, Action<LabelRatioRouterOptions>? configure = null) =>
        Add<LabelRatioRouter, LabelRatioRouterOptions>(builder, configure);

    /// <summary>Adds the <c>nginx</c> router: ingress-nginx canary Ingresses.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the annotation prefix, or <see langword="null"/>.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddNginxIngressRouter(this ICanaryBuilder builder, Action<NginxRouterOptions>? configure = null) =>
        Add<NginxRouter, NginxRouterOptions>(builder, configure);

    /// <summary>Adds the <c>traefik</c> router: a weighted or mirroring TraefikService.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the API group, or <see langword="null"/> to ask the cluster.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddTraefikRouter(this ICanaryBuilder builder, Action<TraefikRouterOptions>? configure = null) =>
        Add<TraefikRouter, TraefikRouterOptions>(builder, configure);

    /// <summary>Adds the <c>smi</c> and <c>linkerd</c> routers: SMI TrafficSplits, and for Linkerd an HTTPRoute where SMI is not served.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddSmiRouter(this ICanaryBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddTrafficRouter<SmiRouter>().AddTrafficRouter<LinkerdRouter>();
    }

    /// <summary>Adds the <c>gatewayapi</c> router: a Gateway API HTTPRoute.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddGatewayApiRouter(this ICanaryBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddTrafficRouter<GatewayApiRouter>();
    }

    /// <summary>Adds the <c>kubernetes</c> router: no split, the apex Service on the primary, as Flagger's provider of that name.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddKubernetesRouter(this ICanaryBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddTrafficRouter<KubernetesRouter>();
    }

    /// <summary>Adds every Kubernetes router with its default options (options configured elsewhere still apply).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddAllRouters(this ICanaryBuilder builder) =>
        builder
            .AddLabelRatioRouter()
            .AddKubernetesRouter()
            .AddNginxIngressRouter()
            .AddTraefikRouter()
            .AddSmiRouter()
            .AddGatewayApiRouter();

    private static ICanaryBuilder Add<TRouter, TOptions>(ICanaryBuilder builder, Action<TOptions>? configure)
        where TRouter : class, Canary.Routing.ITrafficRouter
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<TOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder.AddTrafficRouter<TRouter>();
    }
}
