namespace Visibility.Cli.Capture;

/// <summary>What <c>visibility inline</c> was asked to do.</summary>
internal sealed record InlineOptions : SensorCommandOptions
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

    /// <summary>Testing only: the engine sleeps this long before each frame, to exercise the failure mode.</summary>
    public TimeSpan EngineDelay { get; init; }
}
