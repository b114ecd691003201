using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.Metrics.Tests.Integration;

/// <summary>
/// Serves ingress-nginx-shaped metrics in Prometheus' text exposition format for a primary and a canary behind the
/// Ingress "podinfo" in namespace "test". Every counter grows linearly with time, so every rate and ratio over any
/// window is known exactly.
/// </summary>
internal sealed class NginxExporter : IAsyncDisposable
{
    public const string Namespace = "test";
    public const string Ingress = "podinfo";
    public const string CanaryUpstream = "test-podinfo-canary-9898";

    /// <summary>ingress-nginx's default request-duration buckets, in seconds.</summary>
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly WebApplication _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private NginxExporter(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The canary: 20 requests a second, 5% of them 500; 90% take 50-100 ms, 10% take 250-500 ms.</summary>
    public static Workload Canary { get; } = new(CanaryUpstream, RequestsPerSecond: 20, ErrorShare: 0.05, [(0.1, 0.9, 0.075), (0.5, 0.1, 0.4)]);

    /// <summary>The primary: 50 requests a second, 1% of them 503; all take 10-25 ms.</summary>
    public static Workload Primary { get; } = new(string.Empty, RequestsPerSecond: 50, ErrorShare: 0.01, [(0.025, 1.0, 0.02)]);

    public Uri Address { get; }

    public static async Task<NginxExporter> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        NginxExporter? exporter = null;
        app.Run(context => exporter!.ServeAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        exporter = new NginxExporter(app, new Uri(address));
        return exporter;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task ServeAsync(HttpContext context)
    {
        if (context.Request.Path != "/metrics")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return context.Response.WriteAsync(Exposition(_clock.Elapsed.TotalSeconds), Encoding.UTF8);
    }

    private static string Exposition(double seconds)
    {
        var text = new StringBuilder();
        text.AppendLine("# HELP nginx_ingress_controller_requests The total number of client requests.");
        text.AppendLine("# TYPE nginx_ingress_controller_requests counter");
        foreach (var (workload, errorStatus) in new[] { (Canary, "500"), (Primary, "503") })
        {
            var total = workload.RequestsPerSecond * seconds;
            Sample(text, "nginx_ingress_controller_requests", Labels(workload, $",status=\"200\""), total * (1 - workload.ErrorShare));
            Sample(text, "nginx_ingress_controller_requests", Labels(workload, $",status=\"{errorStatus}\""), total * workload.ErrorShare);
        }

        text.AppendLine("# HELP nginx_ingress_controller_request_duration_seconds The request processing time in seconds.");
        text.AppendLine("# TYPE nginx_ingress_controller_request_duration_seconds histogram");
        foreach (var workload in new[] { Canary, Primary })
        {
            var total = workload.RequestsPerSecond * seconds;
            foreach (var bucket in Buckets)
            {
                var share = workload.Latencies.Where(l => l.UpperBound <= bucket).Sum(l => l.Share);
                Sample(text, "nginx_ingress_controller_request_duration_seconds_bucket", Labels(workload, $",le=\"{Format(bucket)}\""), total * share);
            }

            Sample(text, "nginx_ingress_controller_request_duration_seconds_bucket", Labels(workload, ",le=\"+Inf\""), total);
            Sample(text, "nginx_ingress_controller_request_duration_seconds_sum", Labels(workload, string.Empty), total * workload.Latencies.Sum(l => l.Share * l.Typical));
            Sample(text, "nginx_ingress_controller_request_duration_seconds_count", Labels(workload, string.Empty), total);
        }

        return text.ToString();
    }

    private static string Labels(Workload workload, string extra) =>
        $"namespace=\"{Namespace}\",ingress=\"{Ingress}\",canary=\"{workload.Upstream}\"{extra}";

    private static void Sample(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append('{').Append(labels).Append("} ").AppendLine(Format(value));

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One backend's traffic.</summary>
    /// <param name="Upstream">The value of the <c>canary</c> label: the canary upstream's name, or empty for the primary.</param>
    /// <param name="RequestsPerSecond">The request rate.</param>
    /// <param name="ErrorShare">The share of requests that answer 5xx.</param>
    /// <param name="Latencies">Shares of requests by the bucket bound they fall under, with a typical duration for the sum.</param>
    internal sealed record Workload(string Upstream, double RequestsPerSecond, double ErrorShare, (double UpperBound, double Share, double Typical)[] Latencies);
}
