namespace Canary.Metrics.Templates;

/// <summary>
/// A metric query could not be rendered: its template names an unknown variable, a value is missing, or a value could
/// change the meaning of the query. The message names the template and the variable.
/// </summary>
public sealed class MetricTemplateException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MetricTemplateException"/> class.</summary>
    public MetricTemplateException()
        : this("A metric query could not be rendered.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MetricTemplateException"/> class.</summary>
    /// <param name="message">What is wrong, naming the template and the variable.</param>
    public MetricTemplateException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MetricTemplateException"/> class.</summary>
    /// <param name="message">What is wrong, naming the template and the variable.</param>
    /// <param name="innerException">The cause.</param>
    public MetricTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MetricTemplateException"/> class.</summary>
    /// <param name="message">What is wrong, naming the template and the variable.</param>
    /// <param name="template">The template, for example <c>MetricTemplate "error-rate"</c>.</param>
    /// <param name="variable">The variable at fault, or <see langword="null"/> for a syntax error.</param>
    public MetricTemplateException(string message, string template, string? variable)
        : base(message)
    {
        Template = template;
        Variable = variable;
    }

    /// <summary>Gets the template at fault, for example <c>MetricTemplate "error-rate"</c>.</summary>
    public string? Template { get; }

    /// <summary>Gets the variable at fault, for example <c>variables.code</c>, or <see langword="null"/>.</summary>
    public string? Variable { get; }
}
