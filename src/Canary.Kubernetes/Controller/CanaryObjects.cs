using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Specs;
using Canary.Validation;

namespace Canary.Kubernetes.Controller;

/// <summary>Reads Canary objects as the API serves them into the engine's model, through the same reader as spec files.</summary>
internal static class CanaryObjects
{
    /// <summary>Reads an object's spec.</summary>
    /// <returns>The canary, or <see langword="null"/> with every problem found.</returns>
    public static (CanaryResource? Canary, IReadOnlyList<ValidationError> Errors) Read(JsonObject obj)
    {
        // Only what the user wrote is read: the status and the server's metadata would only slow the reader down.
        var metadata = obj["metadata"] as JsonObject;
        var copy = new JsonObject
        {
            ["apiVersion"] = obj["apiVersion"]?.DeepClone(),
            ["kind"] = obj["kind"]?.DeepClone(),
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata?["name"]?.DeepClone(),
                ["namespace"] = metadata?["namespace"]?.DeepClone(),
                ["labels"] = metadata?["labels"]?.DeepClone(),
            },
            ["spec"] = obj["spec"]?.DeepClone(),
        };
        var result = CanaryManifestReader.Read(copy.ToJsonString());

        // The text is one line of JSON, so the reader's line numbers say nothing to the user.
        var errors = result.Errors.Select(e => e with { Line = null }).ToList();
        if (result.Manifest is { Canaries: [var read] })
        {
            errors.RemoveAll(MissingTemplateErrors(read).Contains);
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return result.Manifest is { Canaries: [var canary] }
            ? (canary, [])
            : (null, [new ValidationError("apiVersion", $"\"{obj["apiVersion"]}\" is not a Canary version this controller reads")]);
    }

    /// <summary>
    /// The errors that only say a <c>templateRef</c> names no template in the document. In a cluster, templates are objects of
    /// their own, read when a check runs; one that is missing then fails its check, as with Flagger.
    /// </summary>
    private static HashSet<ValidationError> MissingTemplateErrors(CanaryResource canary)
    {
        var present = canary.Spec.Analysis.Metrics
            .Where(m => m.TemplateRef is { Name.Length: > 0 })
            .Select(m => new MetricTemplate(m.TemplateRef!.Name, m.TemplateRef.Namespace ?? canary.Id.Namespace, new MetricProviderSpec(), "vector(0)"))
            .ToList();
        if (present.Count == 0)
        {
            return [];
        }

        var missing = CanarySpecValidator.Validate(canary, []).ToHashSet();
        missing.ExceptWith(CanarySpecValidator.Validate(canary, present));
        return missing;
    }

    public static long Generation(JsonObject obj) =>
        obj["metadata"]?["generation"] is not JsonValue value ? 0
            : value.TryGetValue<long>(out var wide) ? wide
            : value.TryGetValue<int>(out var narrow) ? narrow
            : 0;

    public static CanaryId Id(JsonObject obj) => new(KubernetesObject.GetName(obj) ?? string.Empty, KubernetesObject.GetNamespace(obj) ?? string.Empty);

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    /// <summary>Whether the object's status carries the <c>Valid=False</c> condition that <see cref="InvalidSpecReporter"/> writes.</summary>
    public static bool IsMarkedInvalid(JsonObject obj) =>
        obj["status"]?["conditions"] is JsonArray conditions
        && conditions.OfType<JsonObject>().Any(c => KubernetesObject.GetString(c, "type") == InvalidSpecReporter.ConditionType
            && KubernetesObject.GetString(c, "status") == "False");
}
