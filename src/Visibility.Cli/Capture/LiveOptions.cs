using Visibility.Cli.Metrics;
using Visibility.Cli.Replay;

namespace Visibility.Cli.Capture;

/// <summary>What <c>visibility live</c> was asked to do.</summary>
internal sealed record LiveOptions
{
    public required LiveCaptureOptions Capture { get; init; }

    /// <summary>EVE output path, "-" for standard output, null for none.</summary>
    public string? EvePath { get; init; }

    public ListenAddress? MetricsListen { get; init; }

    /// <summary>Rule file or folder (null: ./rules when it exists).</summary>
    public string? RulesPath { get; init; }

    public IReadOnlyList<string> RuleVariables { get; init; } = [];

    /// <summary><c>--plugins</c>: folder of inspection plugin assemblies; null for none.</summary>
    public string? PluginsPath { get; init; }

    public SummaryFormat Summary { get; init; } = SummaryFormat.Text;

    /// <summary>No summary.</summary>
    public bool Quiet { get; init; }
}
