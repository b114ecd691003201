namespace Canary.Testing.Kubernetes;

/// <summary>One column of a type's table (a CRD's <c>additionalPrinterColumns</c> entry): what <c>kubectl get</c> prints.</summary>
internal sealed record PrinterColumn(string Name, string Type, string JsonPath, int Priority = 0, string Format = "", string Description = "")
{
    /// <summary>The column a CRD gets when it declares none, as the API server defaults it.</summary>
    public static PrinterColumn Age { get; } = new(
        "Age", "date", ".metadata.creationTimestamp",
        Description: "CreationTimestamp is a timestamp representing the server time when this object was created.");
}
