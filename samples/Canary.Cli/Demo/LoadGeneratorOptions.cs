using Canary.Validation;

namespace Canary.Cli.Demo;

/// <summary>Settings of a <see cref="LoadGenerator"/>.</summary>
public sealed class LoadGeneratorOptions
{
    /// <summary>Gets or sets the target rate; <see langword="null"/> sends as fast as <see cref="MaxConcurrency"/> allows.</summary>
    /// <value>The default is 50 requests a second.</value>
    public double? RequestsPerSecond { get; set; } = 50;

    /// <summary>Gets or sets how many requests may be in flight at once.</summary>
    /// <value>The default is 16.</value>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Gets or sets after how many requests to stop, or <see langword="null"/> to run until cancelled.</summary>
    public long? MaxRequests { get; set; }

    /// <summary>Gets or sets the path (and query) requested.</summary>
    /// <value>The default is <c>/</c>.</value>
    public string Path { get; set; } = "/";

    /// <summary>Gets or sets the Host header, or <see langword="null"/> for the target's own.</summary>
    public string? Host { get; set; }

    /// <summary>Gets or sets the header or cookie a share of the requests carries, or <see langword="null"/> for none.</summary>
    public RequestMark? Mark { get; set; }

    /// <summary>Gets or sets how long one request may take before it counts as failed.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the seed of the choice of marked requests.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Gets or sets the clock that paces the requests, or <see langword="null"/> for the system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each naming its property; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (RequestsPerSecond is { } rate && !(rate > 0 && double.IsFinite(rate)))
        {
            errors.Add(new(nameof(RequestsPerSecond), $"must be a positive number, not {rate}; leave it null for no limit"));
        }

        if (MaxConcurrency < 1)
        {
            errors.Add(new(nameof(MaxConcurrency), $"must be at least 1, not {MaxConcurrency}"));
        }

        if (MaxRequests is < 0)
        {
            errors.Add(new(nameof(MaxRequests), $"must not be negative, not {MaxRequests}"));
        }

        if (string.IsNullOrEmpty(Path) || !Path.StartsWith('/'))
        {
            errors.Add(new(nameof(Path), $"must start with '/', not \"{Path}\""));
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add(new(nameof(RequestTimeout), "must be positive"));
        }

        if (Mark is { } mark)
        {
            if (!(mark.Fraction is >= 0 and <= 1))
            {
                errors.Add(new($"{nameof(Mark)}.{nameof(RequestMark.Fraction)}", $"must be between 0 and 1, not {mark.Fraction}"));
            }

            if (mark.HeaderName is null && mark.CookieName is null)
            {
                errors.Add(new(nameof(Mark), "must name a header or a cookie"));
            }

            if (mark.HeaderName is not null && mark.HeaderValue is null)
            {
                errors.Add(new($"{nameof(Mark)}.{nameof(RequestMark.HeaderValue)}", "is required with a header name"));
            }

            if (mark.CookieName is not null && mark.CookieValue is null)
            {
                errors.Add(new($"{nameof(Mark)}.{nameof(RequestMark.CookieValue)}", "is required with a cookie name"));
            }
        }

        return errors;
    }
}
