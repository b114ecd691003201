using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Canary.Events;
using Canary.Model;

namespace Canary.Notifications;

/// <summary>Writes an event in the incoming-webhook format of each alert provider type.</summary>
internal static class AlertPayloads
{
    /// <summary>Discord's limit on a message's <c>content</c>.</summary>
    public const int DiscordContentLimit = 2000;

    private static readonly JsonSerializerOptions GenericOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static byte[] Build(AlertProvider provider, CanaryEvent canaryEvent)
    {
        JsonNode payload = provider.Type switch
        {
            AlertProviderType.Slack => Slack(provider, canaryEvent),
            AlertProviderType.MSTeams => Teams(canaryEvent),
            AlertProviderType.Discord => Discord(provider, canaryEvent),
            AlertProviderType.Rocket => Rocket(provider, canaryEvent),
            _ => JsonSerializer.SerializeToNode(canaryEvent, GenericOptions)!,
        };
        return JsonSerializer.SerializeToUtf8Bytes(payload);
    }

    /// <summary>The facts shown under the message, in the order people read them.</summary>
    public static IReadOnlyList<(string Name, string Value)> Facts(CanaryEvent canaryEvent)
    {
        var facts = new List<(string, string)>
        {
            ("Phase", canaryEvent.Phase.ToString()),
            ("Weight", canaryEvent.Weight.ToString(CultureInfo.InvariantCulture) + "%"),
            ("Failed checks", canaryEvent.FailedChecks.ToString(CultureInfo.InvariantCulture)),
        };
        if (canaryEvent.Metric is { } metric)
        {
            facts.Add(("Metric", metric));
        }

        if (canaryEvent.Value is { } value)
        {
            facts.Add(("Value", value.ToString("0.###", CultureInfo.InvariantCulture)));
        }

        if (canaryEvent.Threshold is { } threshold)
        {
            facts.Add(("Threshold", Range(threshold)));
        }

        if (canaryEvent.Webhook is { } webhook)
        {
            facts.Add(("Webhook", webhook));
        }

        return facts;
    }

    private static JsonObject Slack(AlertProvider provider, CanaryEvent canaryEvent)
    {
        var payload = new JsonObject();
        AddIfSet(payload, "channel", provider.Channel);
        AddIfSet(payload, "username", provider.Username);
        payload["text"] = canaryEvent.Canary.ToString();
        payload["attachments"] = new JsonArray(new JsonObject
        {
            ["fallback"] = $"{canaryEvent.Canary}: {canaryEvent.Message}",
            ["color"] = canaryEvent.Severity switch
            {
                AlertSeverity.Error => "danger",
                AlertSeverity.Warn => "warning",
                _ => "good",
            },
            ["author_name"] = canaryEvent.Canary.ToString(),
            ["text"] = canaryEvent.Message,
            ["mrkdwn_in"] = new JsonArray("text"),
            ["fields"] = SlackFields(canaryEvent),
            ["ts"] = canaryEvent.Time.ToUnixTimeSeconds(),
        });
        return payload;
    }

    private static JsonObject Rocket(AlertProvider provider, CanaryEvent canaryEvent)
    {
        var payload = new JsonObject();
        AddIfSet(payload, "channel", provider.Channel);
        AddIfSet(payload, "alias", provider.Username);
        payload["text"] = canaryEvent.Canary.ToString();
        payload["attachments"] = new JsonArray(new JsonObject
        {
            ["title"] = canaryEvent.Canary.ToString(),
            ["text"] = canaryEvent.Message,
            ["color"] = "#" + Color(canaryEvent.Severity).ToString("x6", CultureInfo.InvariantCulture),
            ["fields"] = SlackFields(canaryEvent),
        });
        return payload;
    }

    private static JsonObject Teams(CanaryEvent canaryEvent)
    {
        var facts = new JsonArray();
        foreach (var (name, value) in Facts(canaryEvent))
        {
            facts.Add(new JsonObject { ["title"] = name, ["value"] = value });
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "TextBlock",
                    ["text"] = canaryEvent.Canary.ToString(),
                    ["weight"] = "Bolder",
                    ["size"] = "Medium",
                    ["color"] = canaryEvent.Severity switch
                    {
                        AlertSeverity.Error => "Attention",
                        AlertSeverity.Warn => "Warning",
                        _ => "Good",
                    },
                },
                new JsonObject { ["type"] = "TextBlock", ["text"] = canaryEvent.Message, ["wrap"] = true },
                new JsonObject { ["type"] = "FactSet", ["facts"] = facts }),
        };
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = card,
            }),
        };
    }

    private static JsonObject Discord(AlertProvider provider, CanaryEvent canaryEvent)
    {
        var fields = new JsonArray();
        foreach (var (name, value) in Facts(canaryEvent))
        {
            fields.Add(new JsonObject { ["name"] = name, ["value"] = value, ["inline"] = true });
        }

        var payload = new JsonObject();
        AddIfSet(payload, "username", provider.Username);
        var content = $"{canaryEvent.Canary}: {canaryEvent.Message}";
        payload["content"] = content.Length <= DiscordContentLimit ? content : content[..(DiscordContentLimit - 1)] + "…";
        payload["embeds"] = new JsonArray(new JsonObject
        {
            ["title"] = canaryEvent.Canary.ToString(),
            ["color"] = Color(canaryEvent.Severity),
            ["fields"] = fields,
            ["timestamp"] = canaryEvent.Time.ToString("O", CultureInfo.InvariantCulture),
        });
        return payload;
    }

    private static JsonArray SlackFields(CanaryEvent canaryEvent)
    {
        var fields = new JsonArray();
        foreach (var (name, value) in Facts(canaryEvent))
        {
            fields.Add(new JsonObject { ["title"] = name, ["value"] = value, ["short"] = true });
        }

        return fields;
    }

    /// <summary>Green, amber and red, as integers for Discord and hex for Rocket.Chat.</summary>
    private static int Color(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Error => 0xD50200,
        AlertSeverity.Warn => 0xDAA038,
        _ => 0x2EB886,
    };

    private static string Range(ThresholdRange threshold) =>
        string.Create(CultureInfo.InvariantCulture, $"{(threshold.Min is { } min ? min.ToString("0.###", CultureInfo.InvariantCulture) : "-∞")} .. {(threshold.Max is { } max ? max.ToString("0.###", CultureInfo.InvariantCulture) : "∞")}");

    private static void AddIfSet(JsonObject payload, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            payload[name] = value;
        }
    }
}
