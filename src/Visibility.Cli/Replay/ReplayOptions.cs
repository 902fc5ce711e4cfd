using Visibility.Cli.Metrics;

namespace Visibility.Cli.Replay;

/// <summary>What <c>visibility replay</c> was asked to do.</summary>
internal sealed record ReplayOptions
{
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>EVE output path, "-" for standard output, null for none.</summary>
    public string? EvePath { get; init; }

    /// <summary>Raw-IP pcap that receives every decapsulated cleartext packet, or null.</summary>
    public string? WriteInnerPath { get; init; }

    /// <summary>Rule file or folder; null: the <c>rules/</c> folder of the current directory when there is one.</summary>
    public string? RulesPath { get; init; }

    /// <summary>Rule variable assignments (<c>--set NAME=value</c>).</summary>
    public IReadOnlyList<string> RuleVariables { get; init; } = [];

    /// <summary><c>--plugins</c>: folder of inspection plugin assemblies; null for none.</summary>
    public string? PluginsPath { get; init; }

    /// <summary><c>--keys</c>: a folder with ikev2_decryption_table and/or esp_sa, or one such file; null for none.</summary>
    public string? KeysPath { get; init; }

    public SummaryFormat Summary { get; init; } = SummaryFormat.Text;

    /// <summary>No progress bar and no summary.</summary>
    public bool Quiet { get; init; }

    /// <summary>Serve metrics here during the replay; null for no endpoint.</summary>
    public ListenAddress? MetricsListen { get; init; }

    /// <summary>After the replay, keep serving metrics until SIGINT/SIGTERM.</summary>
    public bool Hold { get; init; }

    /// <summary>Workers the packets are spread over by address pair (<c>--workers</c>); output is the same for any
    /// number.</summary>
    public int Workers { get; init; } = 1;
}
