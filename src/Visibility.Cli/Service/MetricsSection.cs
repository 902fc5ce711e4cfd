namespace Visibility.Cli.Service;

/// <summary><c>Metrics:*</c>: the Prometheus endpoint.</summary>
internal sealed class MetricsSection
{
    /// <summary><c>ADDR:PORT</c> to serve <c>/metrics</c> on; null serves nothing.</summary>
    public string? Listen { get; set; }
}
