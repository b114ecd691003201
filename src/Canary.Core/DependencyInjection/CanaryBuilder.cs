namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The builder that <see cref="CanaryServiceCollectionExtensions.AddCanary"/> returns.</summary>
internal sealed record CanaryBuilder(IServiceCollection Services) : ICanaryBuilder;
