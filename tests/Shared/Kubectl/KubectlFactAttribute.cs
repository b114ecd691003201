namespace Canary.Tests.Kubectl;

/// <summary>
/// A fact that needs kubectl on PATH: skipped when it is missing, unless CANARY_REQUIRE_KUBECTL=1, in which case the
/// test runs and fails with a message saying kubectl is required.
/// </summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (KubectlRunner.Find() is null && !KubectlRunner.Required)
        {
            Skip = "kubectl is not on PATH (install Debian's kubernetes-client; set CANARY_REQUIRE_KUBECTL=1 to fail instead of skipping)";
        }
    }
}
