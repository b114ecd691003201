namespace Canary.Model;

/// <summary>One metric check of the analysis: a builtin metric or a <see cref="MetricTemplate"/>, judged against a range.</summary>
public sealed record MetricCheck
{
    /// <summary>Gets the metric's name; <c>request-success-rate</c> and <c>request-duration</c> are builtin.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the window the metric is measured over; <see langword="null"/> uses one minute, as Flagger does.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>Gets the range the value must fall in.</summary>
    public ThresholdRange ThresholdRange { get; init; } = new();

    /// <summary>Gets the template that defines a custom metric's query, or <see langword="null"/> for a builtin metric.</summary>
    public TemplateReference? TemplateRef { get; init; }

    /// <summary>Gets the values of the template's <c>{{ variables.NAME }}</c> placeholders.</summary>
    public IReadOnlyDictionary<string, string> TemplateVariables { get; init; } = EmptyDictionary.Instance;

    /// <summary>Gets what to do when the metric has no data.</summary>
    /// <value>The default value fails the check, as Flagger does.</value>
    public NoDataPolicy NoData { get; init; } = NoDataPolicy.Fail;

    /// <summary>Gets a value indicating whether this is one of the builtin metrics every router provides.</summary>
    public bool IsBuiltin => TemplateRef is null && BuiltinMetrics.IsBuiltin(Name);

    /// <summary>Gets the window the metric is measured over.</summary>
    public TimeSpan EffectiveInterval => Interval ?? TimeSpan.FromMinutes(1);
}
