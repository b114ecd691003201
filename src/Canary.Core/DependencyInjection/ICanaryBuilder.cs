namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Composes Canary's engine with its adapters; returned by <see cref="CanaryServiceCollectionExtensions.AddCanary"/>.</summary>
public interface ICanaryBuilder
{
    /// <summary>Gets the services being configured.</summary>
    IServiceCollection Services { get; }
}
