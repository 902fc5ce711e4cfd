using Visibility.Cli.Metrics;
using Visibility.Cli.Replay;

namespace Visibility.Cli.Capture;

/// <summary>What <c>visibility inline</c> was asked to do.</summary>
internal sealed record InlineOptions
{
    /// <summary>The first port of the bridge (<c>--in</c>).</summary>
    public required string In { get; init; }

    /// <summary>The second port of the bridge (<c>--out</c>).</summary>
    public required string Out { get; init; }

    /// <summary>Drop a frame the engine could not judge in time (or threw on) instead of forwarding it.</summary>
    public bool FailClosed { get; init; }

    /// <summary>How long a frame waits for its verdict before the failure mode decides.</summary>
    public TimeSpan VerdictTimeout { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Kernel capture buffer per port in bytes; null for libpcap's default.</summary>
    public int? BufferSize { get; init; }

    /// <summary>Engine threads the frames are spread over by address pair (<c>--workers</c>).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Testing only: the engine sleeps this long before each frame, to exercise the failure mode.</summary>
    public TimeSpan EngineDelay { get; init; }

    /// <summary>EVE output path, "-" for standard output, null for none.</summary>
    public string? EvePath { get; init; }

    /// <summary>Raw-IP pcap that receives every decapsulated cleartext packet (<c>--write-inner</c>), or null.</summary>
    public string? WriteInnerPath { get; init; }

    /// <summary>Key folder or file (Wireshark's UAT formats), or null.</summary>
    public string? KeysPath { get; init; }

    /// <summary><c>--plugins</c>: folder of inspection plugin assemblies; null for none.</summary>
    public string? PluginsPath { get; init; }

    public ListenAddress? MetricsListen { get; init; }

    /// <summary>Rule file or folder (null: ./rules when it exists).</summary>
    public string? RulesPath { get; init; }

    public IReadOnlyList<string> RuleVariables { get; init; } = [];

    public SummaryFormat Summary { get; init; } = SummaryFormat.Text;

    /// <summary>No start line and no summary.</summary>
    public bool Quiet { get; init; }
}
