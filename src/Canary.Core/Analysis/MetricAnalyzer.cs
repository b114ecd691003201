using System.Collections.Frozen;
using System.Globalization;
using Canary.Model;
using Polly;

namespace Canary.Analysis;

/// <summary>
/// Measures every metric check of a canary and judges it against its range and its no-data policy. Fail safe:
/// a provider that throws, times out or has no data never lets a check pass.
/// </summary>
internal sealed class MetricAnalyzer
{
    private const string AnyProvider = "*";

    private readonly FrozenDictionary<string, IMetricProvider> _providers;
    private readonly IMetricTemplateStore _templates;
    private readonly ResiliencePipeline _pipeline;
    private readonly string _builtinProvider;

    public MetricAnalyzer(IEnumerable<IMetricProvider> providers, IMetricTemplateStore templates, ResiliencePipeline pipeline, string builtinProvider)
    {
        _providers = providers.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
        _templates = templates;
        _pipeline = pipeline;
        _builtinProvider = builtinProvider;
    }

    public async ValueTask<AnalysisOutcome> AnalyzeAsync(CanaryResource canary, CanaryStatus status, CancellationToken cancellationToken)
    {
        var metrics = canary.Spec.Analysis.Metrics;
        if (metrics.Count == 0)
        {
            return new AnalysisOutcome([], status.NoDataIntervals);
        }

        var reports = new CheckReport[metrics.Count];
        Dictionary<string, int>? holds = null;
        for (var i = 0; i < metrics.Count; i++)
        {
            var metric = metrics[i];
            var result = await MeasureAsync(canary, metric, cancellationToken);
            var held = status.NoDataIntervals.GetValueOrDefault(metric.Name);
            reports[i] = Judge(canary.Id, metric, result, held);
            if (reports[i].Verdict == CheckVerdict.Held || held > 0)
            {
                holds ??= new Dictionary<string, int>(status.NoDataIntervals, StringComparer.Ordinal);
                holds[metric.Name] = reports[i].Verdict == CheckVerdict.Held ? held + 1 : 0;
            }
        }

        return new AnalysisOutcome(reports, holds ?? status.NoDataIntervals);
    }

    private async ValueTask<Measurement> MeasureAsync(CanaryResource canary, MetricCheck metric, CancellationToken cancellationToken)
    {
        MetricTemplate? template = null;
        string providerName;
        if (metric.TemplateRef is { } reference)
        {
            template = await _templates.GetAsync(reference.Name, reference.Namespace ?? canary.Id.Namespace, cancellationToken);
            if (template is null)
            {
                return Measurement.Failure($"MetricTemplate {reference.Name}.{reference.Namespace ?? canary.Id.Namespace} not found");
            }

            providerName = template.Provider.Type;
        }
        else
        {
            providerName = _builtinProvider;
        }

        if (!_providers.TryGetValue(providerName, out var provider) && !_providers.TryGetValue(AnyProvider, out provider))
        {
            return Measurement.Failure($"no metric provider is registered for \"{providerName}\"");
        }

        try
        {
            var query = new MetricQuery(canary, metric, template);
            var result = await _pipeline.ExecuteAsync(
                static (state, ct) => state.provider.QueryAsync(state.query, ct),
                (provider, query),
                cancellationToken);
            // Flagger names the router for builtin metrics ("no values found for nginx metric …").
            return new Measurement(result, template is null ? query.TrafficProvider : providerName, null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Measurement.Failure($"{providerName} query failed: {exception.Message}");
        }
    }

    private static CheckReport Judge(CanaryId id, MetricCheck metric, Measurement measurement, int heldIntervals)
    {
        if (measurement.Error is { } error)
        {
            return new CheckReport(metric, CheckVerdict.Failed, null, $"Metric query failed for {metric.Name}: {error}");
        }

        var result = measurement.Result;
        var policy = metric.NoData;
        var tooFewRequests = policy.MinRequests > 0 && result.SampleCount is { } samples && samples < policy.MinRequests;
        if (!result.HasValue || tooFewRequests)
        {
            var why = tooFewRequests
                ? $"only {result.SampleCount} requests, fewer than {policy.MinRequests}"
                : result.Detail ?? "empty result";
            if (policy.Action == NoDataAction.Hold && heldIntervals < policy.MaxHoldIntervals)
            {
                return new CheckReport(metric, CheckVerdict.Held, null,
                    $"Holding {id} advancement: no data for metric {metric.Name} ({heldIntervals + 1}/{policy.MaxHoldIntervals} intervals): {why}");
            }

            return new CheckReport(metric, CheckVerdict.Failed, null,
                $"Halt advancement no values found for {measurement.Provider} metric {metric.Name} probably {id} is not receiving traffic: {why}");
        }

        var value = result.Value!.Value;
        var range = metric.ThresholdRange;
        if (range.Contains(value))
        {
            return new CheckReport(metric, CheckVerdict.Passed, value, $"{Describe(metric)} {Format(metric, value)} is within {FormatRange(metric)}");
        }

        var comparison = range.Min is { } min && value < min
            ? $"{Format(metric, value)} < {Format(metric, min)}"
            : $"{Format(metric, value)} > {Format(metric, range.Max!.Value)}";
        return new CheckReport(metric, CheckVerdict.Failed, value, $"Halt {id} advancement {Describe(metric)} {comparison}");
    }

    private static string Describe(MetricCheck metric) => metric.IsBuiltin
        ? metric.Name == BuiltinMetrics.RequestSuccessRate ? "success rate" : "request duration"
        : metric.Name;

    private static string Format(MetricCheck metric, double value) => metric.IsBuiltin
        ? metric.Name == BuiltinMetrics.RequestSuccessRate
            ? value.ToString("0.##", CultureInfo.InvariantCulture) + "%"
            : value.ToString("0.#", CultureInfo.InvariantCulture) + "ms"
        : value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string FormatRange(MetricCheck metric) => metric.ThresholdRange switch
    {
        { Min: { } min, Max: { } max } => $"[{Format(metric, min)}, {Format(metric, max)}]",
        { Min: { } min } => $">= {Format(metric, min)}",
        { Max: { } max } => $"<= {Format(metric, max)}",
        _ => "any value",
    };

    private readonly record struct Measurement(MetricResult Result, string Provider, string? Error)
    {
        public static Measurement Failure(string message) => new(default, string.Empty, message);
    }
}
