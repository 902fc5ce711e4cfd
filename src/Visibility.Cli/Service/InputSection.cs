namespace Visibility.Cli.Service;

/// <summary><c>Visibility:*</c>: what to read. Exactly one of <see cref="Interfaces"/> and <see cref="Files"/>.</summary>
internal sealed class InputSection
{
    /// <summary>Network interfaces to capture from.</summary>
    public List<string> Interfaces { get; set; } = [];

    /// <summary>Capture files to replay once, in order; the service then keeps running (metrics) until stopped.</summary>
    public List<string> Files { get; set; } = [];

    /// <summary>Kernel capture filter (pcap-filter(7)) for the interfaces.</summary>
    public string? Bpf { get; set; }

    public int Snaplen { get; set; } = 65535;

    /// <summary>Kernel capture buffer per interface in bytes; null for libpcap's default.</summary>
    public int? BufferSize { get; set; }

    public bool Promiscuous { get; set; } = true;

    /// <summary>Pipelines the frames are spread over by address pair (as <c>--workers</c>; live's default).</summary>
    public int Workers { get; set; } = Commands.OutputOptionSet.DefaultLiveWorkers;
}
