using Canary.Model;

namespace Canary.Gates;

/// <summary>What the engine asks an <see cref="IApprovalGate"/> about.</summary>
/// <param name="Canary">The canary.</param>
/// <param name="Stage">The stage waiting for approval.</param>
/// <param name="Revision">The revision being rolled out, so that an approval of one revision never lets another through.</param>
/// <param name="Gate">The name of the approval hook in the canary's spec.</param>
/// <param name="Url">The hook's URL, such as <c>approval://release-managers</c>; a gate may read whom to ask from it.</param>
public sealed record ApprovalRequest(CanaryId Canary, ApprovalStage Stage, string Revision, string Gate, Uri Url);
