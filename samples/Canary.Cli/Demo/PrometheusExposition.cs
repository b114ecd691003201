using System.Globalization;
using System.Text;

namespace Canary.Cli.Demo;

/// <summary>Writes metric families in Prometheus' text exposition format, summing the series that share a label set.</summary>
internal sealed class PrometheusExposition(TextWriter writer, IReadOnlyList<double> bucketBounds)
{
    public void Counter(
        string name,
        string help,
        IEnumerable<(ProxyMetrics.SeriesKey Key, ProxyMetrics.SeriesCounts Counts)> series,
        Func<ProxyMetrics.SeriesKey, (string Name, string Value)[]> labels)
    {
        Header(name, help, "counter");
        foreach (var (labelText, counts) in Group(series, labels))
        {
            Sample(name, labelText, counts.Count);
        }
    }

    /// <summary>Writes a histogram; <paramref name="scale"/> converts the recorded seconds into the family's unit.</summary>
    public void Histogram(
        string name,
        string help,
        IEnumerable<(ProxyMetrics.SeriesKey Key, ProxyMetrics.SeriesCounts Counts)> series,
        Func<ProxyMetrics.SeriesKey, (string Name, string Value)[]> labels,
        double scale = 1)
    {
        Header(name, help, "histogram");
        foreach (var (labelText, counts) in Group(series, labels))
        {
            long cumulative = 0;
            for (var i = 0; i <= bucketBounds.Count; i++)
            {
                cumulative += counts.Buckets[i];
                var bound = i < bucketBounds.Count ? Number(Math.Round(bucketBounds[i] * scale, 9)) : "+Inf";
                Sample(name + "_bucket", Join(labelText, $"le=\"{bound}\""), cumulative);
            }

            writer.Write(name);
            writer.Write("_sum");
            writer.Write(Braces(labelText));
            writer.Write(' ');
            writer.Write(Number(counts.SumSeconds * scale));
            writer.Write('\n');
            Sample(name + "_count", labelText, counts.Count);
        }
    }

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static IEnumerable<(string Labels, ProxyMetrics.SeriesCounts Counts)> Group(
        IEnumerable<(ProxyMetrics.SeriesKey Key, ProxyMetrics.SeriesCounts Counts)> series,
        Func<ProxyMetrics.SeriesKey, (string Name, string Value)[]> labels)
    {
        var groups = new SortedDictionary<string, ProxyMetrics.SeriesCounts>(StringComparer.Ordinal);
        foreach (var (key, counts) in series)
        {
            var text = string.Join(',', labels(key).Select(label => $"{label.Name}=\"{Escape(label.Value)}\""));
            groups[text] = groups.TryGetValue(text, out var sum) ? Add(sum, counts) : counts;
        }

        return groups.Select(pair => (pair.Key, pair.Value));
    }

    private static ProxyMetrics.SeriesCounts Add(ProxyMetrics.SeriesCounts a, ProxyMetrics.SeriesCounts b) =>
        new(a.Buckets.Zip(b.Buckets, (x, y) => x + y).ToArray(), a.Count + b.Count, a.SumSeconds + b.SumSeconds);

    private void Header(string name, string help, string type)
    {
        writer.Write($"# HELP {name} {help}\n");
        writer.Write($"# TYPE {name} {type}\n");
    }

    private void Sample(string name, string labels, long value)
    {
        writer.Write(name);
        writer.Write(Braces(labels));
        writer.Write(' ');
        writer.Write(value.ToString(CultureInfo.InvariantCulture));
        writer.Write('\n');
    }

    private static string Join(string labels, string more) => labels.Length == 0 ? more : labels + "," + more;

    private static string Braces(string labels) => labels.Length == 0 ? string.Empty : new StringBuilder("{").Append(labels).Append('}').ToString();

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
