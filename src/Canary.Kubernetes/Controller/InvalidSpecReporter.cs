using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Validation;

namespace Canary.Kubernetes.Controller;

/// <summary>
/// Tells the owner of a Canary object that its spec cannot be run, where <c>kubectl</c> shows it: a Warning Event on the object
/// (<c>kubectl describe canary</c>) and a <c>Valid=False</c> condition in its status (<c>kubectl get canary -o yaml</c>), which is
/// removed again once the spec is fixed.
/// </summary>
internal sealed class InvalidSpecReporter(IKubernetesApi api, CanaryControllerOptions options, string instance, TimeProvider time)
{
    public const string ConditionType = "Valid";
    public const string Reason = "InvalidSpec";

    public async Task ReportAsync(JsonObject canary, IReadOnlyList<ValidationError> errors, CancellationToken cancellationToken)
    {
        var message = Message(errors);
        var now = time.GetUtcNow();
        await api.CreateAsync(ResourceType.Events, KubernetesObject.GetNamespace(canary), Event(canary, message, now), cancellationToken);
        var conditions = OtherConditions(canary);
        conditions.Add(new JsonObject
        {
            ["type"] = ConditionType,
            ["status"] = "False",
            ["reason"] = Reason,
            ["message"] = message,
            ["lastTransitionTime"] = Time(now),
            ["lastUpdateTime"] = Time(now),
            ["observedGeneration"] = CanaryObjects.Generation(canary),
        });
        await PatchConditionsAsync(canary, conditions, cancellationToken);
    }

    public Task ClearAsync(JsonObject canary, CancellationToken cancellationToken) =>
        PatchConditionsAsync(canary, OtherConditions(canary), cancellationToken);

    private static string Message(IReadOnlyList<ValidationError> errors)
    {
        var text = $"The spec cannot be run: {string.Join("; ", errors.Select(e => e.ToString()))}";
        // The condition keeps the Event's text, cut as the API cuts Event messages, so both read alike.
        return text.Length <= EventObjects.MaxMessageLength ? text : string.Concat(text.AsSpan(0, EventObjects.MaxMessageLength - 1), "…");
    }

    private static JsonArray OtherConditions(JsonObject canary) =>
        new((canary["status"]?["conditions"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(c => KubernetesObject.GetString(c, "type") != ConditionType)
            .Select(c => (JsonNode?)c.DeepClone())
            .ToArray());

    private Task<JsonObject> PatchConditionsAsync(JsonObject canary, JsonArray conditions, CancellationToken cancellationToken) =>
        api.PatchStatusAsync(
            options.CanaryResource,
            KubernetesObject.GetNamespace(canary),
            KubernetesObject.GetName(canary)!,
            KubernetesPatch.Merge(new JsonObject { ["status"] = new JsonObject { ["conditions"] = conditions } }),
            new PatchOptions { FieldManager = options.Component },
            cancellationToken);

    private JsonObject Event(JsonObject canary, string message, DateTimeOffset now) => EventObjects.Create(
        options.CanaryResource,
        KubernetesObject.GetNamespace(canary)!,
        KubernetesObject.GetName(canary)!,
        KubernetesObject.GetUid(canary),
        "Warning",
        Reason,
        message,
        options.Component,
        instance,
        now);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
