using Visibility.Cli.Metrics;
using Visibility.Cli.Replay;

namespace Visibility.Cli.Capture;

/// <summary>What the sensor's commands (<c>replay</c>, <c>live</c>, <c>inline</c>) share: outputs, rules, plugins,
/// keys, metrics, summary and workers, read from their common options (<c>Commands.OutputOptionSet</c>).</summary>
internal abstract record SensorCommandOptions
{
    /// <summary>EVE output path, "-" for standard output, null for none.</summary>
    public string? EvePath { get; init; }

    /// <summary>Raw-IP pcap that receives every decapsulated cleartext packet (<c>--write-inner</c>), or null.</summary>
    public string? WriteInnerPath { get; init; }

    /// <summary>Rule file or folder; null: the <c>rules/</c> folder of the current directory when there is one.</summary>
    public string? RulesPath { get; init; }

    /// <summary>Rule variable assignments (<c>--set NAME=value</c>).</summary>
    public IReadOnlyList<string> RuleVariables { get; init; } = [];

    /// <summary><c>--plugins</c>: folder of inspection plugin assemblies; null for none.</summary>
    public string? PluginsPath { get; init; }

    /// <summary><c>--keys</c>: a folder with ikev2_decryption_table and/or esp_sa, or one such file; null for none.</summary>
    public string? KeysPath { get; init; }

    /// <summary>Where to serve metrics; null for no endpoint.</summary>
    public ListenAddress? MetricsListen { get; init; }

    public SummaryFormat Summary { get; init; } = SummaryFormat.Text;

    /// <summary>No start line, progress or summary.</summary>
    public bool Quiet { get; init; }

    /// <summary>Workers (engine threads) the frames are spread over by address pair (<c>--workers</c>).</summary>
    public int Workers { get; init; } = 1;
}
