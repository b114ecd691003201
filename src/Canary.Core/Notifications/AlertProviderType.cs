namespace Canary.Notifications;

/// <summary>The chat service an <see cref="AlertProvider"/> posts to, each in its own incoming-webhook format.</summary>
public enum AlertProviderType
{
    /// <summary>A Slack incoming webhook: <c>text</c> and <c>attachments</c>, with <c>channel</c> and <c>username</c> when set.</summary>
    Slack,

    /// <summary>A Microsoft Teams incoming webhook or Workflows trigger: a message whose attachment is an Adaptive Card.</summary>
    MSTeams,

    /// <summary>A Discord webhook: <c>content</c> and <c>embeds</c>.</summary>
    Discord,

    /// <summary>A Rocket.Chat incoming webhook, in its Slack-like format with <c>alias</c> for the user name.</summary>
    Rocket,

    /// <summary>Any HTTP endpoint: the event itself as JSON.</summary>
    Generic,
}
