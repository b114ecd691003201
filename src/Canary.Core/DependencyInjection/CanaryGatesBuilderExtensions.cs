using Canary.Gates;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds gates (people's approvals, local tests) and webhook options to Canary's engine.</summary>
public static class CanaryGatesBuilderExtensions
{
    /// <summary>
    /// Sets the gate that people approve or reject rollouts through; the engine asks it about confirm-rollout and
    /// confirm-promotion hooks whose URL has the <c>approval:</c> scheme.
    /// </summary>
    /// <typeparam name="TGate">The gate type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddApprovalGate<TGate>(this ICanaryBuilder builder)
        where TGate : class, IApprovalGate
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IApprovalGate, TGate>());
        return builder;
    }

    /// <summary>
    /// Sets an <see cref="InMemoryApprovalGate"/> as the approval gate; resolve <see cref="InMemoryApprovalGate"/> to
    /// approve or reject rollouts from the host.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddInMemoryApprovalGate(this ICanaryBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<InMemoryApprovalGate>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IApprovalGate>(static sp => sp.GetRequiredService<InMemoryApprovalGate>()));
        return builder;
    }

    /// <summary>Sets the test gate that runs the spec's webhooks with an <c>exec:</c> URL on the engine's host.</summary>
    /// <typeparam name="TGate">The test gate type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddTestGate<TGate>(this ICanaryBuilder builder)
        where TGate : class, ITestGate
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ITestGate, TGate>());
        return builder;
    }

    /// <summary>
    /// Runs the spec's webhooks with an <c>exec:</c> URL as local commands (<see cref="CommandTestRunner"/>): their
    /// <c>metadata.cmd</c> runs in a shell and passes on exit status 0. Any spec's author can then run commands on the
    /// host, so add this only where specs are trusted.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the runner, or <see langword="null"/>.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddCommandTestGates(this ICanaryBuilder builder, Action<CommandTestRunnerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<CommandTestRunnerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CommandTestRunnerOptions>, CommandTestRunnerOptionsValidator>());
        return builder.AddTestGate<CommandTestRunner>();
    }

    /// <summary>Configures the backoff of the default HTTP webhook client between a webhook's retries.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder ConfigureWebhooks(this ICanaryBuilder builder, Action<HttpWebhookClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<HttpWebhookClientOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpWebhookClientOptions>, HttpWebhookClientOptionsValidator>());
        return builder;
    }
}
