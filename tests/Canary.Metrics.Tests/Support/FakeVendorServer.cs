using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.Metrics.Tests.Support;

/// <summary>A Kestrel server on 127.0.0.1 that answers the way a test tells it, as a vendor's API would, and records each request whole.</summary>
internal sealed class FakeVendorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeVendorServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<VendorRequest> Requests { get; } = new();

    public static Task<FakeVendorServer> StartAsync(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        StartAsync(context => Respond(context, status, "application/json", json));

    public static Task<FakeVendorServer> StartAsync(Func<HttpContext, Task> handler) =>
        StartAsync((context, _) => handler(context));

    public static async Task<FakeVendorServer> StartAsync(Func<HttpContext, VendorRequest, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeVendorServer? server = null;
        app.Run(async context =>
        {
            var request = await RecordAsync(context);
            server!.Requests.Enqueue(request);
            await handler(context, request);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeVendorServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        return server;
    }

    public static Task Respond(HttpContext context, HttpStatusCode status, string contentType, string body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, Encoding.UTF8);
    }

    /// <summary>Answers once the request arrived, never: for timeouts and cancellations.</summary>
    public static Func<HttpContext, Task> Hang(TaskCompletionSource received) => async context =>
    {
        received.TrySetResult();
        await Task.Delay(Timeout.Infinite, context.RequestAborted);
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<VendorRequest> RecordAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        return new VendorRequest(
            request.Method,
            request.Path.Value ?? string.Empty,
            request.QueryString.Value ?? string.Empty,
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
    }
}
