using Canary.Kubernetes.Client;
using Canary.Kubernetes.Controller;
using Canary.Kubernetes.State;
using Canary.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Kubernetes.Tests.Controller;

public sealed class CanaryControllerOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        var options = new CanaryControllerOptions();

        options.Validate().Should().BeEmpty();
        options.Namespace.Should().BeNull();
        options.CanaryResource.Should().Be(CanaryResourceTypes.Canary());
        options.ShutdownTimeout.Should().Be(TimeSpan.FromSeconds(30));
        options.ReportInvalidSpecs.Should().BeTrue();
    }

    [Fact]
    public void Validate_NotACanaryResource_NamesTheProperty()
    {
        var options = new CanaryControllerOptions { CanaryResource = ResourceType.ConfigMaps };

        options.Validate().Select(e => e.ToString()).Should().Equal("CanaryResource: must be a namespaced Canary resource, not ConfigMap v1/configmaps");
    }

    [Fact]
    public void Validate_ListedCanaryOutsideTheNamespace_NamesIt()
    {
        var options = new CanaryControllerOptions { Namespace = "prod" };
        options.Canaries.Add(new CanaryId("podinfo", "test"));

        options.Validate().Select(e => e.ToString()).Should().Equal("Canaries: podinfo.test is not in namespace prod, the only one watched");
    }

    [Fact]
    public void Validate_NegativeShutdownTimeoutAndEmptyNamespace_ReportsBoth()
    {
        var options = new CanaryControllerOptions { Namespace = " ", ShutdownTimeout = TimeSpan.FromSeconds(-1) };

        options.Validate().Select(e => e.Path).Should().Equal("Namespace", "ShutdownTimeout");
    }

    [Fact]
    public void AddCanaryController_InvalidOptions_FailsNamingTheProperty()
    {
        var services = new ServiceCollection();
        services.AddCanary().AddKubernetes(o => o.Configuration = new() { Host = new Uri("http://127.0.0.1:9/") }).AddCanaryController(o => o.Component = string.Empty);
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<CanaryControllerOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*Component: must be 1 to 128 printable characters*");
    }
}
