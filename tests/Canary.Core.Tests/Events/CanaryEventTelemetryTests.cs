using System.Diagnostics.Metrics;
using Canary.Core.Tests.Engine;
using Canary.Events;
using Canary.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Core.Tests.Events;

public class CanaryEventTelemetryTests
{
    [Fact]
    public async Task ReadAllAsync_DuringRollout_StreamsEveryEventToTheHost()
    {
        await using var harness = new EngineHarness(TestCanaries.Canary());
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 100);
        var feed = harness.Services.GetRequiredService<CanaryEventFeed>();
        using var stop = new CancellationTokenSource();
        var received = new List<CanaryEvent>();
        var reader = Task.Run(async () =>
        {
            await foreach (var canaryEvent in feed.ReadAllAsync(stop.Token))
            {
                received.Add(canaryEvent);
                if (canaryEvent.Type == CanaryEventType.NewRevision)
                {
                    return;
                }
            }
        });
        await WaitForReaderAsync(feed);

        await harness.StartRolloutAsync();
        await reader.WaitAsync(TimeSpan.FromSeconds(10));

        received.Select(e => e.Type).Should().Equal(CanaryEventType.Initialized, CanaryEventType.NewRevision);
    }

    [Fact]
    public async Task ReconcileAsync_Events_AreCountedOnTheCanaryMeter()
    {
        var counted = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CanaryTelemetry.Name && instrument.Name == CanaryTelemetry.EventsCounter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "canary.event.type")
                {
                    lock (counted)
                    {
                        counted.Add((string)tag.Value!);
                    }
                }
            }
        });
        listener.Start();
        await using var harness = new EngineHarness(TestCanaries.Canary());

        await harness.StartRolloutAsync();

        lock (counted)
        {
            counted.Should().Contain(["Initialized", "NewRevision"]);
        }
    }

    [Fact]
    public async Task ReconcileAsync_Events_AreLoggedWithStableEventIds()
    {
        var logger = new RecordingLoggerProvider();
        await using var harness = new EngineHarness(TestCanaries.Canary(), configure: builder => builder.Services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(new Microsoft.Extensions.Logging.LoggerFactory([logger])));

        await harness.StartRolloutAsync();

        logger.Entries.Should().Contain(e => e.EventId.Id == 1001 && e.EventId.Name == "Initialized" && e.Message.Contains("Initialization done! podinfo.test", StringComparison.Ordinal));
        logger.Entries.Should().Contain(e => e.EventId.Id == 1002 && e.EventId.Name == "NewRevision");
    }

    private static async Task WaitForReaderAsync(CanaryEventFeed feed)
    {
        for (var i = 0; i < 1000 && feed.ReaderCount == 0; i++)
        {
            await Task.Yield();
            await Task.Delay(1);
        }

        feed.ReaderCount.Should().Be(1);
    }
}
