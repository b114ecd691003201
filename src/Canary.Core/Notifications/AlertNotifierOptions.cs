namespace Canary.Notifications;

/// <summary>Options of the <see cref="AlertNotifier"/>.</summary>
public sealed class AlertNotifierOptions
{
    /// <summary>Gets or sets how long one post to a provider may take; the engine waits for it.</summary>
    /// <value>The default value is ten seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
