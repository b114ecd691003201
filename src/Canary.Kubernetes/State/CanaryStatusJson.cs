using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Canary.Model;

namespace Canary.Kubernetes.State;

/// <summary>
/// Writes a <see cref="CanaryStatus"/> as the <c>status</c> of a Canary custom resource and reads it back. Flagger's fields
/// keep Flagger's names and meaning (a <c>Promoted</c> condition included), so that Flagger users' tools read them; Canary's
/// own fields sit beside them. Every field is always written, absent values as <see langword="null"/>, so that a merge patch
/// of the result replaces exactly these fields and leaves any others in the status alone.
/// </summary>
internal static class CanaryStatusJson
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    // The judges' state: every member written, nulls included, so that a merge patch replaces the whole object; log ratios may be infinite.
    private static readonly JsonSerializerOptions SequentialOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter() },
    };

    public static JsonObject Write(CanaryStatus status)
    {
        var time = Time(status.LastTransitionTime);
        var (conditionStatus, conditionMessage) = status.Phase switch
        {
            CanaryPhase.Initialized => ("True", "Deployment initialization completed."),
            CanaryPhase.Succeeded => ("True", "Canary analysis completed successfully, promotion finished."),
            CanaryPhase.Failed => ("False", "Canary analysis failed, Deployment scaled to zero."),
            CanaryPhase.Waiting => ("Unknown", "Waiting for approval."),
            CanaryPhase.Promoting or CanaryPhase.Finalising => ("Unknown", "Canary analysis completed, starting primary rolling update."),
            CanaryPhase.Initializing => ("Unknown", "New Deployment detected, starting initialization."),
            _ => ("Unknown", "New revision detected, progressing canary analysis."),
        };
        var noData = new JsonArray();
        foreach (var (metric, intervals) in status.NoDataIntervals.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            noData.Add(new JsonObject { ["metric"] = metric, ["intervals"] = intervals });
        }

        return new JsonObject
        {
            ["phase"] = status.Phase.ToString(),
            ["canaryWeight"] = status.CanaryWeight,
            ["failedChecks"] = status.FailedChecks,
            ["iterations"] = status.Iterations,
            ["lastAppliedSpec"] = status.LastAppliedSpec,
            ["lastPromotedSpec"] = status.LastPromotedSpec,
            ["lastTransitionTime"] = time,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Promoted",
                ["status"] = conditionStatus,
                ["lastUpdateTime"] = time,
                ["lastTransitionTime"] = time,
                ["reason"] = status.Phase.ToString(),
                ["message"] = conditionMessage,
            }),
            ["step"] = status.Step,
            ["mirrored"] = status.Mirrored,
            ["notReadySince"] = status.NotReadySince is { } since ? Time(since) : null,
            ["noDataIntervals"] = noData,
            ["sequential"] = status.Sequential is { } sequential ? JsonSerializer.SerializeToNode(sequential, SequentialOptions) : null,
            ["kayenta"] = status.Kayenta is { } kayenta ? JsonSerializer.SerializeToNode(kayenta, SequentialOptions) : null,
            ["paused"] = status.Paused,
            ["pendingCommand"] = status.PendingCommand is { } command
                ? new JsonObject
                {
                    ["command"] = command.Command.ToString(),
                    ["reason"] = command.Reason,
                    ["requestedAt"] = Time(command.RequestedAt),
                }
                : null,
            ["message"] = status.Message,
        };
    }

    /// <summary>Reads a status; <see langword="null"/> when there is none yet (no status, or no phase, as a new Flagger object has).</summary>
    /// <exception cref="FormatException">A field holds a value of the wrong type; the message names the field.</exception>
    public static CanaryStatus? Read(JsonNode? node)
    {
        if (node is not JsonObject status || String(status, "phase") is not { Length: > 0 } phaseText)
        {
            return null;
        }

        var noData = new Dictionary<string, int>(StringComparer.Ordinal);
        if (status["noDataIntervals"] is JsonArray entries)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i] as JsonObject ?? throw Bad($"noDataIntervals[{i}]", "an object");
                var metric = String(entry, "metric") ?? throw Bad($"noDataIntervals[{i}].metric", "a string");
                noData[metric] = Integer(entry, "intervals", $"noDataIntervals[{i}].intervals");
            }
        }

        SequentialTestState? sequential = null;
        if (status["sequential"] is { } evidence)
        {
            try
            {
                sequential = evidence.Deserialize<SequentialTestState>(SequentialOptions) ?? throw Bad("sequential", "an object");
            }
            catch (JsonException ex)
            {
                throw new FormatException($"status.sequential: {ex.Message}", ex);
            }
        }

        KayentaJudgeState? kayentaState = null;
        if (status["kayenta"] is { } samples)
        {
            try
            {
                kayentaState = samples.Deserialize<KayentaJudgeState>(SequentialOptions) ?? throw Bad("kayenta", "an object");
            }
            catch (JsonException ex)
            {
                throw new FormatException($"status.kayenta: {ex.Message}", ex);
            }
        }

        CanaryCommandRequest? pending = null;
        if (status["pendingCommand"] is JsonObject command)
        {
            pending = new CanaryCommandRequest(
                Enum<CanaryCommand>(String(command, "command"), "pendingCommand.command"),
                String(command, "reason"),
                Time(command, "requestedAt") ?? throw Bad("pendingCommand.requestedAt", "an RFC 3339 time"));
        }

        return new CanaryStatus
        {
            Phase = Enum<CanaryPhase>(phaseText, "phase"),
            CanaryWeight = Integer(status, "canaryWeight"),
            FailedChecks = Integer(status, "failedChecks"),
            Iterations = Integer(status, "iterations"),
            LastAppliedSpec = String(status, "lastAppliedSpec"),
            LastPromotedSpec = String(status, "lastPromotedSpec"),
            LastTransitionTime = Time(status, "lastTransitionTime") ?? default,
            Step = Integer(status, "step"),
            Mirrored = status["mirrored"] is JsonValue mirrored && mirrored.TryGetValue<bool>(out var isMirrored) && isMirrored,
            NotReadySince = Time(status, "notReadySince"),
            NoDataIntervals = noData,
            Sequential = sequential,
            Kayenta = kayentaState,
            Paused = status["paused"] is JsonValue paused && paused.TryGetValue<bool>(out var isPaused) && isPaused,
            PendingCommand = pending,
            Message = String(status, "message"),
        };
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(JsonObject obj, string field)
    {
        var text = String(obj, field);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw Bad(field, "an RFC 3339 time");
    }

    private static string? String(JsonObject obj, string field) =>
        obj[field] switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => throw Bad(field, "a string"),
        };

    private static int Integer(JsonObject obj, string field, string? path = null)
    {
        if (obj[field] is null)
        {
            return 0;
        }

        return obj[field] is JsonValue value && value.TryGetValue<int>(out var number) ? number : throw Bad(path ?? field, "an integer");
    }

    private static T Enum<T>(string? text, string field)
        where T : struct, Enum =>
        System.Enum.TryParse<T>(text, ignoreCase: false, out var value) && System.Enum.IsDefined(value) && !int.TryParse(text, CultureInfo.InvariantCulture, out _)
            ? value
            : throw Bad(field, $"one of {string.Join(", ", System.Enum.GetNames<T>())}");

    private static FormatException Bad(string field, string expected) => new($"status.{field}: must be {expected}.");
}
