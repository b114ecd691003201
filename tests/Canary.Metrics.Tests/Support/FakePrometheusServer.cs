using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.Metrics.Tests.Support;

/// <summary>A Kestrel server on 127.0.0.1 that answers <c>/api/v1/query</c> the way a test tells it, and records each request.</summary>
internal sealed class FakePrometheusServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakePrometheusServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static Task<FakePrometheusServer> StartAsync(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        StartAsync(context => Respond(context, status, "application/json", json));

    public static async Task<FakePrometheusServer> StartAsync(Func<HttpContext, Task> handler, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        FakePrometheusServer? server = null;
        app.Run(async context =>
        {
            await server!.RecordAsync(context);
            await handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakePrometheusServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        return server;
    }

    public static Task Respond(HttpContext context, HttpStatusCode status, string contentType, string body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, Encoding.UTF8);
    }

    public static string Vector(params string[] values)
    {
        var samples = values.Select((value, i) => "{\"metric\":{\"pod\":\"p" + i + "\"},\"value\":[1700000000.123,\"" + value + "\"]}");
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + string.Join(',', samples) + "]}}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task RecordAsync(HttpContext context)
    {
        var request = context.Request;
        string? query = request.Query["query"];
        string? timeout = request.Query["timeout"];
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            query ??= form["query"];
            timeout ??= form["timeout"];
        }

        Requests.Enqueue(new RecordedRequest(
            request.Method,
            request.Path.Value ?? string.Empty,
            query,
            timeout,
            request.Headers.Authorization.ToString(),
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
    }
}
