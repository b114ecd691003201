using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Canary.Cli.Demo;

/// <summary>A Kestrel server on 127.0.0.1, on free ports, with one request handler and no logging.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>Gets the addresses, one per listener, in the order they were asked for.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>Starts a server with <paramref name="listeners"/> listeners; the handler tells them apart by the local port.</summary>
    public static async Task<LoopbackServer> StartAsync(RequestDelegate handler, TimeSpan shutdownTimeout, int listeners = 1, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(LoopbackServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            for (var i = 0; i < listeners; i++)
            {
                kestrel.Listen(IPAddress.Loopback, 0);
            }

            kestrel.AddServerHeader = false;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdownTimeout);
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(address => new Uri(address.EndsWith('/') ? address : address + "/"))
            .ToList();
        return new LoopbackServer(app, addresses);
    }

    /// <summary>Stops accepting connections, lets requests in flight finish within the shutdown timeout, and frees the ports.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
