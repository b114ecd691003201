namespace Canary.Packaging.Tests;

/// <summary>
/// A console app, written into a folder outside the repository, that uses Canary the way a user does: from packages,
/// restored from a local feed of freshly packed Canary packages (listed first, and the only source for Canary.*) and
/// from nuget.org for their dependencies, into its own packages folder so that no older Canary package is picked up.
/// </summary>
internal static class ConsumerProject
{
    public const string AssemblyName = "Consumer";

    /// <summary>What the app prints when the packages work.</summary>
    public static readonly string[] ExpectedOutput =
    [
        "healthy: Succeeded, weights 10,20,30",
        "faulty: Failed, weights 10, failed checks 2",
    ];

    public static void Write(string directory, string feed, string packages)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packages}" />
              </config>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="Canary.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);

        // These stop MSBuild's upward search, so no Directory.*.props of a folder above (central versions included) applies.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), """
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, $"{AssemblyName}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <AssemblyName>{AssemblyName}</AssemblyName>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Canary.Core" Version="0.1.0" />
                <PackageReference Include="Canary.Testing" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), Program);
    }

    private const string Program = """
        using Canary.Events;
        using Canary.Specs;
        using Canary.Testing.Simulation;

        const string Spec = @"
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: shop
          namespace: prod
        spec:
          provider: nginx
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}
          ingressRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: shop}
          service: {port: 80}
          analysis:
            interval: 1m
            threshold: 2
            stepWeight: 10
            maxWeight: 30
            metrics:
              - name: request-success-rate
                thresholdRange: {min: 99}
        ";

        var read = CanaryManifestReader.Read(Spec);
        if (!read.IsValid)
        {
            foreach (var error in read.Errors)
            {
                Console.Error.WriteLine(error);
            }

            return 2;
        }

        var canary = read.Manifest!.Canaries[0];
        var healthy = await new CanarySimulation(canary).RunAsync();
        var faulty = await new CanarySimulation(canary, options: new CanarySimulationOptions
        {
            Canary = new WorkloadBehavior(0.5, TimeSpan.FromMilliseconds(50)),
        }).RunAsync();

        Console.WriteLine($"healthy: {healthy.Status.Phase}, weights {Weights(healthy)}");
        Console.WriteLine($"faulty: {faulty.Status.Phase}, weights {Weights(faulty)}, failed checks {faulty.Status.FailedChecks}");
        return healthy.Promoted && faulty.RolledBack ? 0 : 1;

        static string Weights(CanarySimulationResult result) =>
            string.Join(",", result.EventsOf(CanaryEventType.WeightAdvanced).Select(e => e.Weight));
        """;
}
