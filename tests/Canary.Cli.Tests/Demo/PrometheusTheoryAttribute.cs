namespace Canary.Cli.Tests.Demo;

/// <summary>A theory that needs the <c>prometheus</c> binary, skipped or failing as <see cref="PrometheusFactAttribute"/> says.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PrometheusTheoryAttribute : TheoryAttribute
{
    /// <summary>Initializes a new instance of the <see cref="PrometheusTheoryAttribute"/> class.</summary>
    public PrometheusTheoryAttribute()
    {
        Skip = PrometheusFactAttribute.SkipReason();
    }
}
