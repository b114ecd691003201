namespace Canary.Kubernetes.Configuration;

/// <content>Loading from kubeconfig files, and the default resolution order.</content>
public sealed partial record KubernetesClientConfiguration
{
    /// <summary>
    /// Loads a kubeconfig file. Without a path, the files listed in <c>KUBECONFIG</c> are merged (the first to set a value wins),
    /// or <c>~/.kube/config</c> is read when <c>KUBECONFIG</c> is unset.
    /// </summary>
    /// <param name="path">The kubeconfig file, or <see langword="null"/> for the default files.</param>
    /// <param name="context">The context to use, or <see langword="null"/> for the file's <c>current-context</c>.</param>
    /// <param name="environment">The environment to read, or <see langword="null"/> for <see cref="KubernetesEnvironment.System"/>.</param>
    /// <returns>The configuration of the chosen context.</returns>
    /// <exception cref="KubeConfigException">A file is missing or malformed, or the context, its cluster or its user is missing.</exception>
    public static KubernetesClientConfiguration FromKubeConfigFile(string? path = null, string? context = null, KubernetesEnvironment? environment = null)
    {
        environment ??= KubernetesEnvironment.System;
        KubeConfigDocument document;
        if (path is not null)
        {
            if (!File.Exists(path))
            {
                throw new KubeConfigException($"The kubeconfig file \"{path}\" does not exist.");
            }

            document = LoadFile(path);
        }
        else
        {
            var (files, description) = DefaultKubeConfigFiles(environment);
            document = LoadFiles(files);
            if (document.IsEmpty)
            {
                throw new KubeConfigException($"No kubeconfig found: {description}.");
            }
        }

        return KubeConfigResolver.Resolve(document, context, environment);
    }

    /// <summary>Reads kubeconfig YAML held in memory.</summary>
    /// <param name="yaml">The kubeconfig text.</param>
    /// <param name="directoryForRelativePaths">
    /// The directory that relative file paths (<c>certificate-authority</c>, <c>tokenFile</c>, ...) are resolved against, or
    /// <see langword="null"/> to use them as they are.
    /// </param>
    /// <param name="context">The context to use, or <see langword="null"/> for <c>current-context</c>.</param>
    /// <param name="environment">The environment to read, or <see langword="null"/> for <see cref="KubernetesEnvironment.System"/>.</param>
    /// <returns>The configuration of the chosen context.</returns>
    /// <exception cref="KubeConfigException">The text is malformed, or the context, its cluster or its user is missing.</exception>
    public static KubernetesClientConfiguration FromKubeConfig(
        string yaml,
        string? directoryForRelativePaths = null,
        string? context = null,
        KubernetesEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var document = KubeConfigParser.Parse(yaml, directoryForRelativePaths, null);
        return KubeConfigResolver.Resolve(document, context, environment ?? KubernetesEnvironment.System);
    }

    /// <summary>
    /// Finds a configuration the way kubectl does: the files in <c>KUBECONFIG</c> (merged), else <c>~/.kube/config</c>, else the pod's
    /// service account. Unlike KubernetesClient it never falls back to <c>http://localhost:8080</c>.
    /// </summary>
    /// <param name="context">The kubeconfig context to use, or <see langword="null"/> for <c>current-context</c>.</param>
    /// <param name="environment">The environment to read, or <see langword="null"/> for <see cref="KubernetesEnvironment.System"/>.</param>
    /// <returns>The configuration found.</returns>
    /// <exception cref="KubeConfigException">Nothing was found, or what was found is malformed.</exception>
    public static KubernetesClientConfiguration BuildDefault(string? context = null, KubernetesEnvironment? environment = null)
    {
        environment ??= KubernetesEnvironment.System;
        var (files, description) = DefaultKubeConfigFiles(environment);
        var document = LoadFiles(files);
        if (!document.IsEmpty)
        {
            return KubeConfigResolver.Resolve(document, context, environment);
        }

        if (IsInCluster(environment))
        {
            return InCluster(environment);
        }

        throw new KubeConfigException(
            $"No Kubernetes configuration found: {description}, and the process does not run in a cluster " +
            $"(KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set and {environment.ServiceAccountDirectory} must hold token and ca.crt).");
    }

    private static (IReadOnlyList<string> Files, string Description) DefaultKubeConfigFiles(KubernetesEnvironment environment)
    {
        var list = environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(list))
        {
            var files = list.Split(environment.PathListSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            return (files, $"none of the files in KUBECONFIG ({list}) exists or holds anything");
        }

        var home = environment.ResolveHomeDirectory();
        if (home is null)
        {
            return ([], "KUBECONFIG is not set and there is no home directory");
        }

        var path = Path.Combine(home, ".kube", "config");
        return ([path], $"KUBECONFIG is not set and {path} does not exist");
    }

    private static KubeConfigDocument LoadFiles(IEnumerable<string> files)
    {
        var merged = KubeConfigDocument.Empty;
        foreach (var file in files)
        {
            // client-go skips missing entries of KUBECONFIG, so that a shared list works on machines that lack some files.
            if (File.Exists(file))
            {
                merged = merged.MergeWith(LoadFile(file));
            }
        }

        return merged;
    }

    private static KubeConfigDocument LoadFile(string path)
    {
        var full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"Cannot read the kubeconfig file \"{full}\": {ex.Message}", ex);
        }

        return KubeConfigParser.Parse(text, Path.GetDirectoryName(full), full);
    }
}
