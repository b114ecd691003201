namespace Canary.Cli.Demo;

/// <summary>
/// Marks a share of a <see cref="LoadGenerator"/>'s requests, as the users of an A/B test: each marked request carries the
/// header, the cookie, or both.
/// </summary>
/// <param name="Fraction">The share of requests marked, from 0 to 1.</param>
/// <param name="HeaderName">The header to send, or <see langword="null"/>.</param>
/// <param name="HeaderValue">The header's value.</param>
/// <param name="CookieName">The cookie to send, or <see langword="null"/>.</param>
/// <param name="CookieValue">The cookie's value.</param>
public sealed record RequestMark(double Fraction, string? HeaderName = null, string? HeaderValue = null, string? CookieName = null, string? CookieValue = null);
