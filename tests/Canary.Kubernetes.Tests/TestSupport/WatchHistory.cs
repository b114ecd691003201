using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Testing.Kubernetes;

namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>
/// Replays what the fake server committed since a resourceVersion, in commit order, by watching each resource type from it:
/// every state the cluster passed through, not just the last one.
/// </summary>
internal static class WatchHistory
{
    /// <summary>The changes of the given types since <paramref name="fromVersion"/> up to now, ordered by resourceVersion.</summary>
    public static async Task<IReadOnlyList<(ResourceType Resource, WatchEvent Event)>> ReadAsync(
        FakeKubernetesApiServer server, IKubernetesApi api, string fromVersion, params ResourceType[] resources)
    {
        var until = long.Parse(server.CurrentResourceVersion, CultureInfo.InvariantCulture);
        var all = new List<(ResourceType, WatchEvent)>();
        foreach (var resource in resources)
        {
            all.AddRange((await ReadOneAsync(server, api, resource, fromVersion, until)).Select(e => (resource, e)));
        }

        // The fake's resourceVersions are one counter, so they order every change across types.
        return all.OrderBy(e => long.Parse(e.Item2.ResourceVersion!, CultureInfo.InvariantCulture)).ToList();
    }

    private static async Task<List<WatchEvent>> ReadOneAsync(FakeKubernetesApiServer server, IKubernetesApi api, ResourceType resource, string fromVersion, long until)
    {
        using var timeout = new CancellationTokenSource(FakeCluster.Timeout);
        var events = new List<WatchEvent>();
        var bookmarked = false;
        var options = new WatchOptions { ResourceVersion = fromVersion, AllowWatchBookmarks = true };
        await foreach (var change in api.WatchAsync(resource, FakeCluster.Namespace, options, timeout.Token))
        {
            if (change.Type == WatchEventType.Bookmark)
            {
                if (long.Parse(change.ResourceVersion!, CultureInfo.InvariantCulture) >= until)
                {
                    break;
                }

                continue;
            }

            events.Add(change);
            if (!bookmarked)
            {
                // The watch is open now: a bookmark at the current version marks the end of the history.
                bookmarked = true;
                server.SendBookmarks();
            }
        }

        return events;
    }

    /// <summary>Folds the changes into the successive states of the cluster: after each change, every object by kind and name.</summary>
    public static IEnumerable<IReadOnlyDictionary<(string Kind, string Name), JsonObject>> States(IEnumerable<(ResourceType Resource, WatchEvent Event)> changes)
    {
        var state = new Dictionary<(string Kind, string Name), JsonObject>();
        foreach (var (resource, change) in changes)
        {
            var key = (resource.Kind, KubernetesObject.GetName(change.Object)!);
            if (change.Type == WatchEventType.Deleted)
            {
                state.Remove(key);
            }
            else
            {
                state[key] = change.Object;
            }

            yield return new Dictionary<(string Kind, string Name), JsonObject>(state);
        }
    }
}
