using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Canary.Testing.Kubernetes;

namespace Canary.Testing.Tests.Kubernetes;

/// <summary>A started fake API server on a manual clock with a plain HttpClient pointed at it.</summary>
internal sealed class ApiHarness : IAsyncDisposable
{
    private ApiHarness(FakeKubernetesApiServer server, TestClock clock)
    {
        Server = server;
        Clock = clock;
        Http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public FakeKubernetesApiServer Server { get; }

    public TestClock Clock { get; }

    public HttpClient Http { get; }

    public static async Task<ApiHarness> StartAsync(Func<FakeKubernetesApiServerOptions, FakeKubernetesApiServerOptions>? configure = null)
    {
        var clock = new TestClock();
        var options = new FakeKubernetesApiServerOptions { TimeProvider = clock };
        var server = new FakeKubernetesApiServer(configure is null ? options : configure(options));
        await server.StartAsync();
        return new ApiHarness(server, clock);
    }

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<ApiResponse> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body);

    public Task<ApiResponse> PutAsync(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body);

    public Task<ApiResponse> DeleteAsync(string path, JsonNode? body = null) => SendAsync(HttpMethod.Delete, path, body);

    public Task<ApiResponse> PatchAsync(string path, string contentType, string body) => SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<ApiResponse> PatchAsync(string path, string contentType, JsonNode body) => SendAsync(HttpMethod.Patch, path, body.ToJsonString(), contentType);

    public Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body = null) =>
        SendAsync(method, path, body?.ToJsonString(), "application/json");

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? body, string contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) as JsonObject : null;
        return new ApiResponse(response.StatusCode, json ?? new JsonObject { ["raw"] = text });
    }

    /// <summary>Creates an object through the API and returns it, failing the test when the create fails.</summary>
    public async Task<JsonObject> CreateAsync(string collectionPath, JsonObject body)
    {
        var response = await PostAsync(collectionPath, body);
        response.Status.Should().Be(HttpStatusCode.Created, response.Body.ToJsonString());
        return response.Body;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
