using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// Renders objects as the <c>meta.k8s.io/v1</c> Table that kubectl asks for (<c>Accept: application/json;as=Table;…</c>) when it
/// prints for people: a Name column, the type's printer columns (a CRD's <c>additionalPrinterColumns</c>, else an Age column), and
/// a row per object whose cells follow the columns' types, dates shown as ages.
/// </summary>
internal static class TableDocuments
{
    /// <summary>Whether the request asks for a Table.</summary>
    public static bool IsRequested(string? accept) => accept is not null && accept.Contains("as=Table", StringComparison.Ordinal);

    /// <summary>Returns the table of objects.</summary>
    /// <param name="resource">Their type.</param>
    /// <param name="objects">The objects, in order.</param>
    /// <param name="resourceVersion">The list's resourceVersion, or the object's.</param>
    /// <param name="includeObject"><c>None</c>, <c>Object</c> or <c>Metadata</c> (the default): what each row carries besides its cells.</param>
    /// <param name="now">The server's time, which ages count from.</param>
    public static JsonObject Create(ApiResource resource, IEnumerable<JsonObject> objects, string? resourceVersion, string? includeObject, DateTimeOffset now)
    {
        var columns = Columns(resource);
        var definitions = new JsonArray(new JsonObject
        {
            ["name"] = "Name",
            ["type"] = "string",
            ["format"] = "name",
            ["description"] = "Name must be unique within a namespace.",
            ["priority"] = 0,
        });
        foreach (var column in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = column.Format,
                ["description"] = column.Description.Length > 0 ? column.Description : $"Custom resource definition column (in JSONPath format): {column.JsonPath}",
                ["priority"] = column.Priority,
            });
        }

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray(JsonValue.Create(JsonTools.Name(obj)));
            foreach (var column in columns)
            {
                cells.Add(Cell(column, Find(obj, column.JsonPath), now));
            }

            var row = new JsonObject { ["cells"] = cells };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = obj.DeepClone();
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = obj["metadata"]?.DeepClone(),
                    };
                    break;
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    /// <summary>Turns a duration into the age kubectl prints: <c>45s</c>, <c>5m30s</c>, <c>3h10m</c>, <c>12d</c>.</summary>
    public static string Age(TimeSpan age)
    {
        var seconds = (long)Math.Floor(age.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 120)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, seconds)}s");
        }

        var minutes = seconds / 60;
        var hours = minutes / 60;
        var days = hours / 24;
        var years = days / 365;
        return (minutes, hours, days) switch
        {
            (< 10, _, _) => seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s",
            (< 180, _, _) => $"{minutes}m",
            (_, < 8, _) => minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m",
            (_, < 48, _) => $"{hours}h",
            (_, _, < 8) => hours % 24 == 0 ? $"{days}d" : $"{days}d{hours % 24}h",
            (_, _, < 730) => $"{days}d",
            (_, _, < 2920) => days % 365 == 0 ? $"{years}y" : $"{years}y{days % 365}d",
            _ => $"{years}y",
        };
    }

    private static IReadOnlyList<PrinterColumn> Columns(ApiResource resource) =>
        resource.PrinterColumns.Count > 0 ? resource.PrinterColumns : [PrinterColumn.Age];

    private static JsonValue? Cell(PrinterColumn column, JsonNode? value, DateTimeOffset now)
    {
        if (value is null)
        {
            return null;
        }

        var scalar = value as JsonValue;
        var kind = value.GetValueKind();
        switch (column.Type)
        {
            case "integer" when kind == JsonValueKind.Number && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                return JsonValue.Create((long)number);
            case "number" when kind == JsonValueKind.Number && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var real):
                return JsonValue.Create(real);
            case "boolean" when kind is JsonValueKind.True or JsonValueKind.False:
                return JsonValue.Create(kind == JsonValueKind.True);
            case "date" when scalar is not null && scalar.TryGetValue<string>(out var text):
                return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                    ? JsonValue.Create(Age(now - time))
                    : JsonValue.Create("<invalid>");
            case "string":
                return JsonValue.Create(scalar is not null && scalar.TryGetValue<string>(out var s) ? s : JsonTools.Serialize(value));
            default:
                return null;
        }
    }

    /// <summary>Follows a simple JSONPath (<c>.status.phase</c>, <c>.spec.containers[0].image</c>).</summary>
    private static JsonNode? Find(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Trim('{', '}').TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            if (name.Length > 0)
            {
                node = node is JsonObject current ? current[name] : null;
            }

            if (bracket >= 0 && int.TryParse(part[(bracket + 1)..].TrimEnd(']'), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                node = node is JsonArray array && index < array.Count ? array[index] : null;
            }

            if (node is null)
            {
                return null;
            }
        }

        return node;
    }
}
