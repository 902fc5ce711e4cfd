namespace Visibility.Cli.Metrics;

/// <summary>The metrics endpoint could not be started; the message is one line for the user.</summary>
internal sealed class MetricsException : Exception
{
    public MetricsException()
    {
    }

    public MetricsException(string message)
        : base(message)
    {
    }

    public MetricsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
