using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>Builds failure <c>Status</c> objects shaped and worded like the real API server's.</summary>
internal static class ApiErrors
{
    public static JsonObject Status(int code, string? reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
        };
        if (!string.IsNullOrEmpty(reason))
        {
            status["reason"] = reason;
        }

        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject Success(ApiResource resource, string name, string uid)
    {
        var details = Details(resource, name);
        details["uid"] = uid;
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    public static KubernetesStatusException NotFound(ApiResource resource, string name) =>
        new(Status(404, "NotFound", $"{resource.QualifiedPlural} \"{name}\" not found", Details(resource, name)));

    public static KubernetesStatusException NamespaceNotFound(string name) =>
        new(Status(404, "NotFound", $"namespaces \"{name}\" not found", new JsonObject { ["name"] = name, ["kind"] = "namespaces" }));

    public static KubernetesStatusException PathNotFound() =>
        new(Status(404, "NotFound", "the server could not find the requested resource", new JsonObject()));

    public static KubernetesStatusException AlreadyExists(ApiResource resource, string name) =>
        new(Status(409, "AlreadyExists", $"{resource.QualifiedPlural} \"{name}\" already exists", Details(resource, name)));

    public static KubernetesStatusException Conflict(ApiResource resource, string name, string why) =>
        new(Status(409, "Conflict", $"Operation cannot be fulfilled on {resource.QualifiedPlural} \"{name}\": {why}", Details(resource, name)));

    public static KubernetesStatusException StaleResourceVersion(ApiResource resource, string name) =>
        Conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    /// <summary>422 with one cause per field error; causes are (type, field, detail).</summary>
    public static KubernetesStatusException Invalid(ApiResource resource, string name, params (string Type, string Field, string Detail)[] errors)
    {
        var causes = new JsonArray();
        foreach (var (type, field, detail) in errors)
        {
            causes.Add(new JsonObject { ["reason"] = type, ["message"] = detail, ["field"] = field });
        }

        var text = errors.Length == 1
            ? $"{errors[0].Field}: {errors[0].Detail}"
            : "[" + string.Join(", ", errors.Select(e => $"{e.Field}: {e.Detail}")) + "]";
        var details = new JsonObject { ["name"] = name };
        if (resource.Group.Length > 0)
        {
            details["group"] = resource.Group;
        }

        details["kind"] = resource.Kind;
        details["causes"] = causes;
        return new(Status(422, "Invalid", $"{resource.QualifiedKind} \"{name}\" is invalid: {text}", details));
    }

    /// <summary>422 for an options object (PatchOptions, DeleteOptions) rather than a resource.</summary>
    public static KubernetesStatusException InvalidOptions(string qualifiedKind, string kind, string group, string field, string type, string detail)
    {
        var details = new JsonObject
        {
            ["group"] = group,
            ["kind"] = kind,
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = type, ["message"] = detail, ["field"] = field }),
        };
        return new(Status(422, "Invalid", $"{qualifiedKind} \"\" is invalid: {field}: {detail}", details));
    }

    public static KubernetesStatusException BadRequest(string message) => new(Status(400, "BadRequest", message));

    /// <summary>The body could not be decoded into the resource's type.</summary>
    public static KubernetesStatusException Undecodable(ApiResource resource, string detail) =>
        BadRequest($"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: {detail}");

    public static KubernetesStatusException MethodNotAllowed() =>
        new(Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject()));

    public static KubernetesStatusException UnsupportedMediaType(IEnumerable<string> accepted) =>
        new(Status(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: " + string.Join(", ", accepted)));

    public static KubernetesStatusException NotAcceptable() =>
        new(Status(406, "NotAcceptable", "only the following media types are accepted: application/json, application/yaml"));

    /// <summary>A JSON patch that could not be applied; the real server keeps only the generic text.</summary>
    public static KubernetesStatusException PatchNotApplicable() =>
        new(Status(422, "Invalid", "the server rejected our request due to an error in our request", new JsonObject()));

    public static JsonObject Expired(string message) => Status(410, "Expired", message);

    public static JsonObject Internal(string message) =>
        Status(500, "InternalError", "Internal error occurred: " + message, new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) });

    /// <summary>A plain storage error: the real server reports these with code 500 and no reason.</summary>
    public static KubernetesStatusException Unknown500(string message) => new(Status(500, null, message));

    /// <summary>An error chosen by a test through fault injection.</summary>
    public static JsonObject Injected(int code, string reason, string message) => Status(code, reason, message, new JsonObject());

    public static JsonObject Details(ApiResource resource, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (resource.Group.Length > 0)
        {
            details["group"] = resource.Group;
        }

        details["kind"] = resource.Plural;
        return details;
    }
}
