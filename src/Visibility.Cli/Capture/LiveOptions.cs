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

    /// <summary>Raw-IP pcap that receives every decapsulated cleartext packet (<c>--write-inner</c>), or null.</summary>
    public string? WriteInnerPath { get; init; }

    /// <summary><c>--keys</c>: a folder with ikev2_decryption_table and/or esp_sa, or one such file; null for none.</summary>
    public string? KeysPath { get; init; }

    /// <summary>Workers the frames are spread over by address pair (<c>--workers</c>).</summary>
    public int Workers { get; init; } = 1;
}
