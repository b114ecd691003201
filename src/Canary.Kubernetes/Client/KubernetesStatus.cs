using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Client;

/// <summary>A <c>meta/v1 Status</c>: what the API server sends with every error and some successful deletes.</summary>
/// <param name="Status"><c>Success</c> or <c>Failure</c>.</param>
/// <param name="Message">The human-readable message.</param>
/// <param name="Reason">The machine-readable reason, for example <c>NotFound</c> or <c>Conflict</c>.</param>
/// <param name="Code">The HTTP status code the server meant.</param>
/// <param name="Details">Details about the object and the causes, if any.</param>
public sealed record KubernetesStatus(string? Status, string? Message, string? Reason, int? Code, KubernetesStatusDetails? Details)
{
    /// <summary>Reads a <c>Status</c> object. Fields that are missing or of the wrong JSON type become <see langword="null"/>.</summary>
    /// <param name="json">The JSON object.</param>
    /// <returns>The status.</returns>
    public static KubernetesStatus FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        KubernetesStatusDetails? details = null;
        if (json["details"] is JsonObject detailsJson)
        {
            var causes = new List<KubernetesStatusCause>();
            if (detailsJson["causes"] is JsonArray causesJson)
            {
                foreach (var cause in causesJson.OfType<JsonObject>())
                {
                    causes.Add(new KubernetesStatusCause(
                        KubernetesObject.GetString(cause, "reason"),
                        KubernetesObject.GetString(cause, "message"),
                        KubernetesObject.GetString(cause, "field")));
                }
            }

            details = new KubernetesStatusDetails(
                KubernetesObject.GetString(detailsJson, "name"),
                KubernetesObject.GetString(detailsJson, "group"),
                KubernetesObject.GetString(detailsJson, "kind"),
                KubernetesObject.GetString(detailsJson, "uid"),
                causes,
                KubernetesObject.GetInt(detailsJson, "retryAfterSeconds"));
        }

        return new KubernetesStatus(
            KubernetesObject.GetString(json, "status"),
            KubernetesObject.GetString(json, "message"),
            KubernetesObject.GetString(json, "reason"),
            KubernetesObject.GetInt(json, "code"),
            details);
    }

    /// <summary>Tells whether a JSON object is a <c>Status</c> (its <c>kind</c> is <c>Status</c>).</summary>
    /// <param name="json">The JSON object.</param>
    /// <returns><see langword="true"/> for a <c>Status</c>.</returns>
    public static bool IsStatus(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return string.Equals(KubernetesObject.GetString(json, "kind"), "Status", StringComparison.Ordinal);
    }
}
