using Canary.Events;
using Canary.Kubernetes.Controller;
using Canary.Model;
using Canary.Notifications;

namespace Canary.Kubernetes.DependencyInjection;

/// <summary>
/// The notifier <c>AddCanaryController</c> registers: the <see cref="KubernetesEventRecorder"/> when events are recorded, nothing
/// otherwise. A type of its own, so that registering it twice adds it once.
/// </summary>
internal sealed class ControllerEventRecorder(KubernetesEventRecorder? recorder) : INotifier
{
    public ValueTask NotifyAsync(CanaryResource canary, CanaryEvent canaryEvent, CancellationToken cancellationToken) =>
        recorder?.NotifyAsync(canary, canaryEvent, cancellationToken) ?? ValueTask.CompletedTask;
}
