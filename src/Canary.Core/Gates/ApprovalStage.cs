namespace Canary.Gates;

/// <summary>Where in a rollout the engine asks for a person's approval.</summary>
public enum ApprovalStage
{
    /// <summary>Before a new revision is scaled up: a <see cref="Model.WebhookType.ConfirmRollout"/> approval hook.</summary>
    Rollout,

    /// <summary>Before an analysed canary is promoted: a <see cref="Model.WebhookType.ConfirmPromotion"/> approval hook.</summary>
    Promotion,
}
