using Canary.Model;

namespace Canary.Gates;

/// <summary>The JSON body a webhook receives, with the fields of Flagger's payload.</summary>
/// <param name="Name">The canary's name.</param>
/// <param name="Namespace">The canary's namespace.</param>
/// <param name="Phase">The canary's phase when the webhook is called.</param>
/// <param name="Checksum">The revision being rolled out.</param>
/// <param name="Metadata">The webhook's metadata, plus event fields for <see cref="WebhookType.Event"/> hooks.</param>
public sealed record WebhookPayload(string Name, string Namespace, CanaryPhase Phase, string Checksum, IReadOnlyDictionary<string, string> Metadata);
