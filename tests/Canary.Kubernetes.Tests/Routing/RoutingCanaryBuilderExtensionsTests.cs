using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.Routing.LabelRatio;
using Canary.Model;
using Canary.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Kubernetes.Tests.Routing;

public sealed class RoutingCanaryBuilderExtensionsTests
{
    [Fact]
    public void AddAllRouters_Twice_RegistersOneRouterPerProvider()
    {
        using var provider = Services(builder => builder.AddAllRouters().AddAllRouters());

        provider.GetServices<ITrafficRouter>().Select(r => r.Provider).Should().BeEquivalentTo(TrafficProviders.All);
    }

    [Fact]
    public void AddSmiRouter_Always_ServesSmiAndLinkerd()
    {
        using var provider = Services(builder => builder.AddSmiRouter());

        provider.GetServices<ITrafficRouter>().Select(r => r.Provider).Should().Equal(TrafficProviders.Smi, TrafficProviders.Linkerd);
    }

    [Fact]
    public void AddTraefikRouter_WithOptions_AppliesThem()
    {
        using var provider = Services(builder => builder.AddTraefikRouter(o => o.ApiGroup = "not-traefik"));

        var act = () => provider.GetServices<ITrafficRouter>().ToList();

        act.Should().Throw<ArgumentException>().WithMessage("TraefikRouterOptions.ApiGroup: must be traefik.io or traefik.containo.us (got \"not-traefik\")*");
    }

    [Fact]
    public void AddLabelRatioRouter_WithOptions_AppliesThem()
    {
        using var provider = Services(builder => builder.AddLabelRatioRouter(o => o.TrafficLabel = string.Empty));

        var act = () => provider.GetServices<ITrafficRouter>().ToList();

        act.Should().Throw<ArgumentException>().WithMessage($"{nameof(LabelRatioRouterOptions)}.TrafficLabel*");
    }

    [Fact]
    public void AddGatewayApiRouter_UsesRegisteredApi()
    {
        using var provider = Services(builder => builder.AddGatewayApiRouter());

        provider.GetServices<ITrafficRouter>().Should().ContainSingle().Which.Provider.Should().Be(TrafficProviders.GatewayApi);
    }

    private static ServiceProvider Services(Action<ICanaryBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IKubernetesApi>(_ => new KubernetesApiClient(new KubernetesClientConfiguration { Host = new Uri("http://127.0.0.1:1") }));
        configure(services.AddCanary());
        return services.BuildServiceProvider();
    }
}
