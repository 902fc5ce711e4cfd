using Visibility.Cli.Metrics;
using Visibility.Engine.Inspection;
using Visibility.Engine.Pipeline;

namespace Visibility.Cli.Capture;

/// <summary>Outputs and limits of one <see cref="SensorSession"/>.</summary>
internal sealed record SessionSettings
{
    /// <summary>EVE output path, "-" for standard output, null for none.</summary>
    public string? EvePath { get; init; }

    /// <summary>Start a new EVE file past this many bytes (files only); null never rotates.</summary>
    public long? EveRotateBytes { get; init; }

    /// <summary>Rotated EVE files kept.</summary>
    public int EveRotateKeep { get; init; } = 10;

    /// <summary>Where to serve metrics; null for no endpoint.</summary>
    public ListenAddress? MetricsListen { get; init; }

    public PipelineOptions Pipeline { get; init; } = new();

    /// <summary>The compiled inspection rules.</summary>
    public RuleSet Rules { get; init; } = RuleSet.Empty;
}
