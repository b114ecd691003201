using System.Text;

namespace Canary.Notifications;

/// <summary>
/// Where a canary's alerts go, as Flagger's <c>AlertProvider</c>. The address (and a proxy's credentials) are
/// secrets: they never appear in <see cref="ToString"/>, in logs or in exceptions.
/// </summary>
public sealed record AlertProvider
{
    /// <summary>Gets the provider's name, which a canary's <c>alerts[].providerRef</c> names.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the provider's namespace, or <see langword="null"/> for a provider that canaries of every namespace may use.</summary>
    public string? Namespace { get; init; }

    /// <summary>Gets the service the provider posts to, which decides the payload's shape.</summary>
    public required AlertProviderType Type { get; init; }

    /// <summary>Gets the incoming-webhook URL; it holds the service's token, so it is a secret.</summary>
    public required Uri Address { get; init; }

    /// <summary>Gets the channel to post to, for services whose webhooks may override theirs (Slack's legacy webhooks, Rocket.Chat), or <see langword="null"/>.</summary>
    public string? Channel { get; init; }

    /// <summary>Gets the name to post as, for services whose webhooks may override theirs, or <see langword="null"/>.</summary>
    public string? Username { get; init; }

    /// <summary>Gets an HTTP proxy to post through (user information in it is used as the proxy's credentials), or <see langword="null"/>.</summary>
    public Uri? Proxy { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name)
            .Append(", Namespace = ").Append(Namespace)
            .Append(", Type = ").Append(Type)
            .Append(", Address = <redacted>")
            .Append(", Channel = ").Append(Channel)
            .Append(", Username = ").Append(Username)
            .Append(", Proxy = ").Append(Proxy is null ? string.Empty : "<redacted>");
        return true;
    }
}
