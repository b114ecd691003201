using System.Text.Json.Nodes;
using Canary.Analysis;
using Canary.Engine;
using Canary.Gates;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Workloads;
using Canary.Model;
using Canary.Notifications;
using Canary.Resilience;
using Canary.Routing;
using Canary.Testing.Kubernetes;
using Canary.Testing.Simulation;
using Canary.Testing.Time;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Cli.Commands;

/// <summary>
/// <c>canary simulate --cluster fake</c>: the rollout of <see cref="CanarySimulation"/>, but with the real Kubernetes client, the
/// <see cref="KubernetesWorkloadController"/> and the <see cref="KubernetesCanaryStatusStore"/> against a
/// <see cref="FakeKubernetesApiServer"/> on loopback, whose Deployment controller simulator makes pods ready. The traffic is
/// the same simulated traffic, split by the router's weights over the Deployments' ready pods, so a spec that is promoted
/// (or rolled back) in memory is promoted (or rolled back) here too.
/// </summary>
internal sealed class FakeClusterSimulation(CanaryResource canary, IReadOnlyCollection<MetricTemplate> templates, CanarySimulationOptions options)
{
    private const int MaxInitializationSteps = 10_000;

    public async Task<CanarySimulationResult> RunAsync(CancellationToken cancellationToken)
    {
        var time = new ManualTimeProvider();
        await using var server = new FakeKubernetesApiServer(new FakeKubernetesApiServerOptions { TimeProvider = time });
        await server.StartAsync(cancellationToken);
        Seed(server);

        // The traffic is split by the weights the real router wrote, read back through it before every interval.
        var routes = TrafficRoutes.PrimaryOnly;
        var traffic = new SimulatedTraffic(new FakeClusterWorkloads(server, _ => routes), time, options.Traffic);
        traffic.SetBehavior(CanarySimulation.StableRevision, options.Primary);
        traffic.SetBehavior(CanarySimulation.NewRevision, options.Canary);
        var webhooks = new SimulatedWebhookClient(traffic);
        foreach (var name in options.FailingWebhooks)
        {
            webhooks.SetOutcome(name, passes: false);
        }

        var recorder = new RecordingNotifier { OnEvent = options.OnEvent };
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IWebhookClient>(webhooks);
        services.AddSingleton<IMetricProvider>(new SimulatedMetricProvider(traffic, options.MetricValues));
        services.AddSingleton<ITrafficSampleProvider>(new SimulatedTrafficSampleProvider(traffic));
        services.AddSingleton<INotifier>(recorder);
        // No retries: a retry's backoff would wait on the virtual clock, which only this loop moves.
        var builder = services.AddCanary().ConfigureResilience(r => r.MaxRetryAttempts = 0).AddMetricTemplates(templates).AddAllRouters().AddKubernetes(k =>
        {
            k.Configuration = new KubernetesClientConfiguration { Host = server.BaseAddress, AccessToken = "simulation", Namespace = canary.Id.Namespace };
            k.Client.RetryBaseDelay = TimeSpan.Zero;
            k.Client.UserAgent = "canary-simulate";
        });
        options.ConfigureEngine?.Invoke(builder);

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var engine = provider.GetRequiredService<CanaryEngine>();
        var cache = provider.GetRequiredService<KubernetesObjectCache>();
        var api = provider.GetRequiredService<IKubernetesApi>();
        var interval = canary.Spec.Analysis.Interval;

        var router = provider.GetServices<ITrafficRouter>().First(r => r.Provider == TrafficProviders.BaseName(canary.Spec.Provider ?? TrafficProviders.Kubernetes));
        var gateway = new SimulatedGatewayController(server, canary.Id.Namespace);
        var status = await StepAsync(engine, gateway, cancellationToken);
        for (var i = 0; status.Phase == CanaryPhase.Initializing && i < MaxInitializationSteps; i++)
        {
            time.Advance(interval);
            Refresh(cache);
            status = await StepAsync(engine, gateway, cancellationToken);
        }

        await DeployAsync(api, CanarySimulation.NewRevision, cancellationToken);
        Refresh(cache);
        var newRevision = await provider.GetRequiredService<IWorkloadController>().GetRevisionAsync(canary, cancellationToken);
        var started = time.GetUtcNow();
        while (time.GetUtcNow() - started < options.MaxDuration)
        {
            routes = await router.GetRoutesAsync(canary, cancellationToken);
            traffic.Flow(canary, interval);
            time.Advance(interval);
            Refresh(cache);
            status = await StepAsync(engine, gateway, cancellationToken);
            if (status.IsFinished && status.LastAppliedSpec == newRevision)
            {
                break;
            }
        }

        return new CanarySimulationResult(status, recorder.Events.ToList(), time.GetUtcNow() - started, traffic.Totals(canary.Id));
    }

    /// <summary>
    /// Runs one step; a step that a route not yet accepted by its gateway held (a transient failure) runs again once the
    /// simulated gateway controller has accepted it, as the next retry would on a real cluster.
    /// </summary>
    private async Task<CanaryStatus> StepAsync(CanaryEngine engine, SimulatedGatewayController gateway, CancellationToken cancellationToken)
    {
        try
        {
            return await engine.ReconcileAsync(canary, cancellationToken);
        }
        catch (Exception exception) when (TransientFailures.IsTransient(exception) && gateway.AcceptRoutes() > 0)
        {
            return await engine.ReconcileAsync(canary, cancellationToken);
        }
    }

    /// <summary>
    /// Pods move on the virtual clock, and the step after a clock jump comes at once: have the controller read the Deployments
    /// afresh rather than wait for its informers, so that the simulation is the same at every run.
    /// </summary>
    private void Refresh(KubernetesObjectCache cache)
    {
        cache.Invalidate(ResourceType.Deployments, canary.Id.Namespace, canary.Spec.TargetRef.Name);
        cache.Invalidate(ResourceType.Deployments, canary.Id.Namespace, canary.Spec.TargetRef.Name + "-primary");
        cache.Invalidate(ResourceType.Deployments, canary.Id.Namespace, canary.Spec.TargetRef.Name + "-baseline");
    }

    /// <summary>Seeds what the spec refers to: the target Deployment running the stable revision, its autoscaler, the provider's APIs and objects, and the Canary object.</summary>
    private void Seed(FakeKubernetesApiServer server)
    {
        var ns = canary.Id.Namespace;
        var target = canary.Spec.TargetRef.Name;
        server.CreateNamespace(ns);
        server.RegisterCustomResource(CanaryResourceTypes.DefaultGroup, CanaryResourceTypes.DefaultVersion, "canaries", "Canary", hasStatusSubresource: true);
        var behavior = options.Cluster;
        server.DeploymentController.Configure(target + "-primary", behavior.PrimaryReadyDelay > TimeSpan.Zero
            ? DeploymentBehavior.ReadyAfter(behavior.PrimaryReadyDelay)
            : DeploymentBehavior.Immediate);
        server.DeploymentController.Configure(target, behavior.CanaryNeverReady
            ? DeploymentBehavior.Failing
            : behavior.CanaryReadyDelay > TimeSpan.Zero ? DeploymentBehavior.ReadyAfter(behavior.CanaryReadyDelay) : DeploymentBehavior.Immediate);

        var port = canary.Spec.Service.TargetPort is { } targetPort && int.TryParse(targetPort, out var number) ? number : Math.Max(1, canary.Spec.Service.Port);
        server.PutObject(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = target, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = target } },
            ["spec"] = new JsonObject
            {
                ["replicas"] = behavior.Replicas,
                ["progressDeadlineSeconds"] = (int)canary.Spec.ProgressDeadline.TotalSeconds,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = target } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["labels"] = new JsonObject { ["app"] = target },
                        ["annotations"] = new JsonObject { [FakeClusterWorkloads.RevisionAnnotation] = CanarySimulation.StableRevision },
                    },
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = target,
                            ["image"] = $"{target}:{CanarySimulation.StableRevision}",
                            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = port }),
                        }),
                    },
                },
            },
        });

        if (canary.Spec.AutoscalerRef is { } autoscaler)
        {
            server.PutObject(new JsonObject
            {
                ["apiVersion"] = "autoscaling/v2",
                ["kind"] = "HorizontalPodAutoscaler",
                ["metadata"] = new JsonObject { ["name"] = autoscaler.Name, ["namespace"] = ns },
                ["spec"] = new JsonObject
                {
                    ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = target },
                    ["minReplicas"] = behavior.Replicas,
                    ["maxReplicas"] = behavior.Replicas * 2,
                },
            });
        }

        ProviderObjects.Seed(server, canary);

        server.PutObject(new JsonObject
        {
            ["apiVersion"] = $"{CanaryResourceTypes.DefaultGroup}/{CanaryResourceTypes.DefaultVersion}",
            ["kind"] = "Canary",
            ["metadata"] = new JsonObject { ["name"] = canary.Id.Name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["targetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = target },
                ["service"] = new JsonObject { ["port"] = canary.Spec.Service.Port },
            },
        });
    }

    /// <summary>Rolls a new revision out to the target as a user would: a patch of its pod template's image and revision.</summary>
    private async Task DeployAsync(IKubernetesApi api, string revision, CancellationToken cancellationToken)
    {
        var target = canary.Spec.TargetRef.Name;
        await api.PatchAsync(ResourceType.Deployments, canary.Id.Namespace, target, KubernetesPatch.Json(new JsonArray(
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template/spec/containers/0/image", ["value"] = $"{target}:{revision}" },
            new JsonObject { ["op"] = "replace", ["path"] = $"/spec/template/metadata/annotations/{FakeClusterWorkloads.RevisionAnnotation.Replace("/", "~1", StringComparison.Ordinal)}", ["value"] = revision })),
            cancellationToken: cancellationToken);
    }
}
