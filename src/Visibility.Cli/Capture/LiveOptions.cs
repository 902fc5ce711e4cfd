namespace Visibility.Cli.Capture;

/// <summary>What <c>visibility live</c> was asked to do.</summary>
internal sealed record LiveOptions : SensorCommandOptions
{
    public required LiveCaptureOptions Capture { get; init; }
}
