using System.Net;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Tests.TestSupport;

namespace Canary.Kubernetes.Tests.Client;

public sealed class KubernetesExceptionTests
{
    public static TheoryData<string, int, KubernetesErrorReason> StatusCases => new()
    {
        { StatusBodies.NotFound, 404, KubernetesErrorReason.NotFound },
        { StatusBodies.AlreadyExists, 409, KubernetesErrorReason.AlreadyExists },
        { StatusBodies.Conflict, 409, KubernetesErrorReason.Conflict },
        { StatusBodies.Invalid, 422, KubernetesErrorReason.Invalid },
        { StatusBodies.Forbidden, 403, KubernetesErrorReason.Forbidden },
        { StatusBodies.Unauthorized, 401, KubernetesErrorReason.Unauthorized },
        { StatusBodies.TooManyRequests, 429, KubernetesErrorReason.TooManyRequests },
        { StatusBodies.Expired, 410, KubernetesErrorReason.Expired },
        { StatusBodies.Gone, 410, KubernetesErrorReason.Gone },
        { StatusBodies.BadRequest, 400, KubernetesErrorReason.BadRequest },
        { StatusBodies.UnsupportedMediaType, 415, KubernetesErrorReason.UnsupportedMediaType },
        { StatusBodies.InternalError, 500, KubernetesErrorReason.InternalError },
        { StatusBodies.ServiceUnavailable, 503, KubernetesErrorReason.ServiceUnavailable },
    };

    [Theory]
    [MemberData(nameof(StatusCases))]
    public async Task GetAsync_StatusBody_ThrowsWithReasonCodeAndMessage(string body, int code, KubernetesErrorReason reason)
    {
        var exception = await FailWith((HttpStatusCode)code, body);

        exception.StatusCode.Should().Be((HttpStatusCode)code);
        exception.Reason.Should().Be(reason);
        exception.ReasonText.Should().Be(reason.ToString());
        exception.Status.Should().NotBeNull();
        exception.Status!.Code.Should().Be(code);
        exception.Message.Should().Contain($"{code} {reason}").And.Contain(exception.Status.Message!);
    }

    [Fact]
    public async Task GetAsync_NotFound_SetsIsNotFoundAndDetails()
    {
        var exception = await FailWith(HttpStatusCode.NotFound, StatusBodies.NotFound);

        exception.IsNotFound.Should().BeTrue();
        exception.IsConflict.Should().BeFalse();
        exception.Status!.Details.Should().BeEquivalentTo(new KubernetesStatusDetails("web", "apps", "deployments", null, [], null));
        exception.Message.Should().Be("GET /apis/apps/v1/namespaces/prod/deployments/web failed: 404 NotFound: deployments.apps \"web\" not found");
    }

    [Fact]
    public async Task GetAsync_AlreadyExists_IsNotAConflict()
    {
        var exception = await FailWith(HttpStatusCode.Conflict, StatusBodies.AlreadyExists);

        exception.IsAlreadyExists.Should().BeTrue();
        exception.IsConflict.Should().BeFalse();
    }

    [Fact]
    public async Task GetAsync_Invalid_ExposesCausesWithFields()
    {
        var exception = await FailWith(HttpStatusCode.UnprocessableEntity, StatusBodies.Invalid);

        exception.IsInvalid.Should().BeTrue();
        exception.Causes.Should().ContainSingle().Which.Should().Be(
            new KubernetesStatusCause("FieldValueInvalid", "Invalid value: 0x0: must be specified for an update", "metadata.resourceVersion"));
        exception.Message.Should().Contain("; metadata.resourceVersion: Invalid value: 0x0");
    }

    [Fact]
    public async Task GetAsync_ApplyConflict_ExposesFieldManagerConflictCause()
    {
        var exception = await FailWith(HttpStatusCode.Conflict, StatusBodies.ApplyConflict);

        exception.IsConflict.Should().BeTrue();
        exception.Causes.Should().ContainSingle().Which.Reason.Should().Be("FieldManagerConflict");
        exception.Causes[0].Field.Should().Be(".spec.replicas");
    }

    [Fact]
    public async Task GetAsync_TooManyRequestsWithRetryAfterSeconds_SetsRetryAfter()
    {
        var exception = await FailWith(HttpStatusCode.TooManyRequests, StatusBodies.TooManyRequests);

        exception.IsTooManyRequests.Should().BeTrue();
        exception.RetryAfter.Should().Be(TimeSpan.FromSeconds(7));
    }

    [Theory]
    [InlineData(StatusBodies.Expired)]
    [InlineData(StatusBodies.Gone)]
    public async Task GetAsync_ExpiredOrGone_SetsIsGone(string body)
    {
        var exception = await FailWith(HttpStatusCode.Gone, body);

        exception.IsGone.Should().BeTrue();
    }

    [Fact]
    public async Task GetAsync_ProxyHtmlPage_GivesCodeAndTextWithoutStatus()
    {
        var html = "<html><head><title>502 Bad Gateway</title><style>body{}</style></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>";
        var handler = new FakeKubeApiHandler(_ => new HttpResponseMessage(HttpStatusCode.BadGateway)
        {
            Content = new StringContent(html, System.Text.Encoding.UTF8, "text/html"),
        });
        using var client = TestClients.Create(handler, options: TestClients.FastOptions(retries: 0));

        var exception = (await ((Func<Task>)(() => client.GetAsync(ResourceType.Deployments, "prod", "web"))).Should().ThrowAsync<KubernetesException>()).Which;

        exception.Status.Should().BeNull();
        exception.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        exception.Reason.Should().Be(KubernetesErrorReason.Unknown);
        exception.Message.Should().Be(
            "GET /apis/apps/v1/namespaces/prod/deployments/web failed: 502 Bad Gateway; the response is not a Kubernetes Status " +
            $"(text/html, {html.Length} bytes): 502 Bad Gateway 502 Bad Gateway nginx");
    }

    [Fact]
    public async Task GetAsync_EmptyBody_ReasonComesFromCode()
    {
        var handler = new FakeKubeApiHandler(_ => new HttpResponseMessage(HttpStatusCode.Forbidden));
        using var client = TestClients.Create(handler, options: TestClients.FastOptions(retries: 0));

        var exception = (await ((Func<Task>)(() => client.GetAsync(ResourceType.Pods, "prod", "p"))).Should().ThrowAsync<KubernetesException>()).Which;

        exception.IsForbidden.Should().BeTrue();
        exception.Message.Should().Contain("403 Forbidden");
    }

    [Fact]
    public async Task GetAsync_UnknownReasonText_KeepsTextAndFallsBackToCode()
    {
        var body = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"nope","reason":"SomethingNew","code":409}""";

        var exception = await FailWith(HttpStatusCode.Conflict, body);

        exception.ReasonText.Should().Be("SomethingNew");
        exception.Reason.Should().Be(KubernetesErrorReason.Conflict);
    }

    [Fact]
    public void FromStatus_WatchErrorStatus_CarriesCodeAndReason()
    {
        var status = KubernetesStatus.FromJson(System.Text.Json.Nodes.JsonNode.Parse(StatusBodies.Expired)!.AsObject());

        var exception = KubernetesException.FromStatus(status, "watch apps/v1/deployments");

        exception.StatusCode.Should().Be(HttpStatusCode.Gone);
        exception.Reason.Should().Be(KubernetesErrorReason.Expired);
        exception.Message.Should().Be("watch apps/v1/deployments: 410 Expired: too old resource version: 5 (1234)");
    }

    private static async Task<KubernetesException> FailWith(HttpStatusCode code, string body)
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json(code, body));
        using var client = TestClients.Create(handler, options: TestClients.FastOptions(retries: 0));
        var act = () => client.GetAsync(ResourceType.Deployments, "prod", "web");
        return (await act.Should().ThrowAsync<KubernetesException>()).Which;
    }
}
