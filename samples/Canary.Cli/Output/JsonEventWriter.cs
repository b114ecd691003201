using System.Text.Encodings.Web;
using System.Text.Json;
using Canary.Events;
using Canary.Testing.Simulation;

namespace Canary.Cli.Output;

/// <summary>Writes one JSON object per line for each event, for tools to read.</summary>
internal sealed class JsonEventWriter(TextWriter output) : IEventWriter
{
    // Messages hold '<' and '>' ("success rate 50% < 99%"); the output is read by tools, not embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Write(CanaryEvent canaryEvent)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", canaryEvent.Time);
            json.WriteString("type", canaryEvent.Type.ToString());
            json.WriteString("canary", canaryEvent.Canary.ToString());
            json.WriteString("phase", canaryEvent.Phase.ToString());
            json.WriteNumber("weight", canaryEvent.Weight);
            json.WriteNumber("failedChecks", canaryEvent.FailedChecks);
            json.WriteString("severity", canaryEvent.Severity.ToString().ToLowerInvariant());
            json.WriteString("message", canaryEvent.Message);
            if (canaryEvent.Metric is { } metric)
            {
                json.WriteString("metric", metric);
            }

            if (canaryEvent.Value is { } value && double.IsFinite(value))
            {
                json.WriteNumber("value", Math.Round(value, 6));
            }

            if (canaryEvent.Threshold is { } threshold)
            {
                json.WriteStartObject("threshold");
                if (threshold.Min is { } min)
                {
                    json.WriteNumber("min", min);
                }

                if (threshold.Max is { } max)
                {
                    json.WriteNumber("max", max);
                }

                json.WriteEndObject();
            }

            if (canaryEvent.Webhook is { } webhook)
            {
                json.WriteString("webhook", webhook);
            }

            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public void WriteSummary(CanarySimulationResult result)
    {
        // The events are the output; the outcome is the exit code and the last event.
    }
}
