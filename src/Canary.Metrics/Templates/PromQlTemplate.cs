using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Canary.Metrics.Templates;

/// <summary>
/// A query with Flagger's placeholders (<c>{{ namespace }}</c>, <c>{{ target }}</c>, <c>{{ interval }}</c>,
/// <c>{{ variables.NAME }}</c>, ...), parsed once and rendered per canary. Runs of whitespace in the query collapse to
/// one space, as Flagger does, so that multi-line templates render to one line.
/// </summary>
/// <remarks>
/// Rendering checks every value it inserts: Kubernetes names must be valid names, and template variables may not hold
/// quotes, backslashes, braces or line breaks, so that no value can close a label matcher and change the query.
/// </remarks>
public sealed partial class PromQlTemplate
{
    private const string VariablesPrefix = "variables.";
    private const int MaxKubernetesNameLength = 253;

    private static readonly string[] KnownVariables = ["name", "namespace", "target", "service", "ingress", "route", "interval"];

    private readonly Segment[] _segments;

    private PromQlTemplate(string template, string text, Segment[] segments, IReadOnlyList<string> placeholders)
    {
        Template = template;
        Text = text;
        _segments = segments;
        Placeholders = placeholders;
    }

    /// <summary>Gets a description of the template for messages, for example <c>MetricTemplate "error-rate"</c>.</summary>
    public string Template { get; }

    /// <summary>Gets the query text as given.</summary>
    public string Text { get; }

    /// <summary>Gets the distinct placeholders the query uses, as written without braces (<c>namespace</c>, <c>variables.code</c>).</summary>
    public IReadOnlyList<string> Placeholders { get; }

    /// <summary>Parses a query.</summary>
    /// <param name="text">The query with its placeholders.</param>
    /// <param name="template">A description of the template for messages, for example <c>MetricTemplate "error-rate"</c>.</param>
    /// <returns>The parsed query.</returns>
    /// <exception cref="MetricTemplateException">A placeholder is unterminated, empty, or names an unknown variable.</exception>
    public static PromQlTemplate Parse(string text, string template)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(template);

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new MetricTemplateException($"{template} has an empty query.", template, null);
        }

        var collapsed = Whitespace().Replace(text, " ").Trim();
        var segments = new List<Segment>();
        var placeholders = new List<string>();
        var position = 0;
        while (position < collapsed.Length)
        {
            var open = collapsed.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                segments.Add(Segment.Literal(collapsed[position..]));
                break;
            }

            if (open > position)
            {
                segments.Add(Segment.Literal(collapsed[position..open]));
            }

            var close = collapsed.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                var excerpt = collapsed[open..Math.Min(collapsed.Length, open + 24)];
                throw new MetricTemplateException(
                    $"unterminated placeholder \"{excerpt}\" in {template}: close it with }}}}.", template, null);
            }

            var name = collapsed[(open + 2)..close].Trim();
            ValidatePlaceholder(name, template);
            segments.Add(Segment.Placeholder(name));
            if (!placeholders.Contains(name, StringComparer.Ordinal))
            {
                placeholders.Add(name);
            }

            position = close + 2;
        }

        return new PromQlTemplate(template, text, [.. segments], placeholders);
    }

    /// <summary>Renders the query for one canary.</summary>
    /// <param name="context">The placeholders' values.</param>
    /// <returns>The query, on one line.</returns>
    /// <exception cref="MetricTemplateException">A value is missing, or is not safe to insert into PromQL.</exception>
    public string Render(MetricTemplateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = new StringBuilder(Text.Length + 64);
        foreach (var segment in _segments)
        {
            text.Append(segment.Variable is { } variable ? ValueOf(variable, context) : segment.Text);
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static void ValidatePlaceholder(string name, string template)
    {
        if (name.Length == 0)
        {
            throw new MetricTemplateException($"empty placeholder {{{{ }}}} in {template}.", template, null);
        }

        if (name.StartsWith(VariablesPrefix, StringComparison.Ordinal))
        {
            var variable = name[VariablesPrefix.Length..];
            if (!VariableName().IsMatch(variable))
            {
                throw new MetricTemplateException(
                    $"invalid template variable \"{name}\" in {template}: a variable name has letters, digits and '_', and does not start with a digit.",
                    template,
                    name);
            }

            return;
        }

        if (!KnownVariables.Contains(name, StringComparer.Ordinal))
        {
            throw new MetricTemplateException(
                $"unknown template variable \"{name}\" in {template}: known variables are {string.Join(", ", KnownVariables)} and variables.NAME.",
                template,
                name);
        }
    }

    private string ValueOf(string variable, MetricTemplateContext context)
    {
        switch (variable)
        {
            case "name":
                return KubernetesName(variable, context.Name);
            case "namespace":
                return KubernetesName(variable, context.Namespace);
            case "target":
                return KubernetesName(variable, context.Target);
            case "service":
                return KubernetesName(variable, context.Service);
            case "ingress":
                return KubernetesName(variable, context.Ingress ?? throw Missing(variable, "the canary has no spec.ingressRef"));
            case "route":
                return KubernetesName(variable, context.Route ?? throw Missing(variable, "the canary's traffic provider manages no route object"));
            case "interval":
                if (context.Interval < TimeSpan.FromMilliseconds(1))
                {
                    throw new MetricTemplateException(
                        $"template variable \"interval\" in {Template} must be at least 1ms, not {context.Interval.ToString("c", CultureInfo.InvariantCulture)}.",
                        Template,
                        variable);
                }

                return DurationFormat.Format(context.Interval);
            default:
                var key = variable[VariablesPrefix.Length..];
                if (!context.Variables.TryGetValue(key, out var value))
                {
                    throw new MetricTemplateException(
                        $"unknown template variable \"{variable}\" in {Template}: the metric check sets no templateVariables entry \"{key}\".",
                        Template,
                        variable);
                }

                return SafeVariable(variable, value);
        }
    }

    private string KubernetesName(string variable, string value)
    {
        if (value.Length is 0 or > MaxKubernetesNameLength || !KubernetesNamePattern().IsMatch(value))
        {
            var shown = value.Length > 64 ? value[..64] + "..." : value;
            throw new MetricTemplateException(
                $"template variable \"{variable}\" in {Template} has the value \"{Sanitize(shown)}\", which is not a Kubernetes name " +
                $"(1 to {MaxKubernetesNameLength} lowercase letters, digits, '-' and '.', starting and ending with a letter or digit).",
                Template,
                variable);
        }

        return value;
    }

    private string SafeVariable(string variable, string value)
    {
        foreach (var c in value)
        {
            if (c is '"' or '\'' or '`' or '\\' or '{' or '}' || char.IsControl(c))
            {
                throw new MetricTemplateException(
                    $"template variable \"{variable}\" in {Template} contains {Describe(c)}: quotes, backquotes, backslashes, braces " +
                    "and line breaks are refused because they could change the meaning of the query.",
                    Template,
                    variable);
            }
        }

        return value;
    }

    private MetricTemplateException Missing(string variable, string reason) =>
        new($"template variable \"{variable}\" in {Template} has no value: {reason}.", Template, variable);

    private static string Describe(char c) => char.IsControl(c)
        ? $"the control character U+{(int)c:X4}"
        : $"'{c}'";

    private static string Sanitize(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(char.IsControl(c) ? '?' : c);
        }

        return text.ToString();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex KubernetesNamePattern();

    private readonly record struct Segment(string Text, string? Variable)
    {
        public static Segment Literal(string text) => new(text, null);

        public static Segment Placeholder(string variable) => new(string.Empty, variable);
    }
}
