using Canary.Gates;
using Canary.Model;

namespace Canary.Core.Tests.Gates;

public class InMemoryApprovalGateTests
{
    private static readonly CanaryId Podinfo = new("podinfo", "test");

    [Fact]
    public async Task GetDecisionAsync_NobodyDecided_IsPendingAndListed()
    {
        var gate = new InMemoryApprovalGate();

        var decision = await gate.GetDecisionAsync(Request(ApprovalStage.Promotion, "v2"), CancellationToken.None);

        decision.Should().Be(ApprovalDecision.Pending);
        gate.Pending.Should().ContainSingle().Which.Should().Be(Request(ApprovalStage.Promotion, "v2"));
    }

    [Fact]
    public async Task Approve_WhileWaiting_ApprovesThatRequestAndClearsIt()
    {
        var gate = new InMemoryApprovalGate();
        await gate.GetDecisionAsync(Request(ApprovalStage.Promotion, "v2"), CancellationToken.None);

        gate.Approve(Podinfo, ApprovalStage.Promotion, "ship it");

        (await gate.GetDecisionAsync(Request(ApprovalStage.Promotion, "v2"), CancellationToken.None)).Should().Be(ApprovalDecision.Approved("ship it"));
        gate.Pending.Should().BeEmpty();
    }

    [Fact]
    public async Task GetDecisionAsync_AskedAgainAfterApproval_GivesTheSameAnswer()
    {
        var gate = new InMemoryApprovalGate();
        await gate.GetDecisionAsync(Request(ApprovalStage.Rollout, "v2"), CancellationToken.None);
        gate.Approve(Podinfo, ApprovalStage.Rollout);
        await gate.GetDecisionAsync(Request(ApprovalStage.Rollout, "v2"), CancellationToken.None);

        var again = await gate.GetDecisionAsync(Request(ApprovalStage.Rollout, "v2"), CancellationToken.None);

        again.Outcome.Should().Be(ApprovalOutcome.Approved);
    }

    [Fact]
    public async Task GetDecisionAsync_ApprovalOfAnotherRevision_IsPending()
    {
        var gate = new InMemoryApprovalGate();
        await gate.GetDecisionAsync(Request(ApprovalStage.Promotion, "v2"), CancellationToken.None);
        gate.Approve(Podinfo, ApprovalStage.Promotion);

        var decision = await gate.GetDecisionAsync(Request(ApprovalStage.Promotion, "v3"), CancellationToken.None);

        decision.Should().Be(ApprovalDecision.Pending);
    }

    [Fact]
    public async Task Approve_BeforeTheEngineAsks_AppliesToTheNextRevisionAsked()
    {
        var gate = new InMemoryApprovalGate();
        gate.Approve(Podinfo, ApprovalStage.Promotion);

        (await gate.GetDecisionAsync(Request(ApprovalStage.Promotion, "v2"), CancellationToken.None)).Outcome.Should().Be(ApprovalOutcome.Approved);
        (await gate.GetDecisionAsync(Request(ApprovalStage.Promotion, "v3"), CancellationToken.None)).Outcome.Should().Be(ApprovalOutcome.Pending);
    }

    [Fact]
    public async Task Reject_WhileWaiting_RejectsWithTheReason()
    {
        var gate = new InMemoryApprovalGate();
        await gate.GetDecisionAsync(Request(ApprovalStage.Promotion, "v2"), CancellationToken.None);

        gate.Reject(Podinfo, "checkout is broken");

        (await gate.GetDecisionAsync(Request(ApprovalStage.Promotion, "v2"), CancellationToken.None)).Should().Be(ApprovalDecision.Rejected("checkout is broken"));
    }

    [Fact]
    public async Task Approve_WithoutStage_DecidesOnlyTheStageThatWaits()
    {
        var gate = new InMemoryApprovalGate();
        await gate.GetDecisionAsync(Request(ApprovalStage.Promotion, "v2"), CancellationToken.None);

        gate.Approve(Podinfo);

        (await gate.GetDecisionAsync(Request(ApprovalStage.Rollout, "v3"), CancellationToken.None)).Outcome.Should().Be(ApprovalOutcome.Pending);
    }

    [Fact]
    public async Task Approve_OtherCanary_LeavesThisOnePending()
    {
        var gate = new InMemoryApprovalGate();
        await gate.GetDecisionAsync(Request(ApprovalStage.Promotion, "v2"), CancellationToken.None);

        gate.Approve(new CanaryId("podinfo", "prod"), ApprovalStage.Promotion);

        (await gate.GetDecisionAsync(Request(ApprovalStage.Promotion, "v2"), CancellationToken.None)).Outcome.Should().Be(ApprovalOutcome.Pending);
    }

    private static ApprovalRequest Request(ApprovalStage stage, string revision) =>
        new(Podinfo, stage, revision, "release", new Uri("approval://release-managers"));
}
