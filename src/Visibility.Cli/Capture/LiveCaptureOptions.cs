namespace Visibility.Cli.Capture;

/// <summary>How live interfaces are opened.</summary>
internal sealed record LiveCaptureOptions
{
    /// <summary>Interface names, one capture source each.</summary>
    public required IReadOnlyList<string> Interfaces { get; init; }

    /// <summary>A BPF filter (pcap-filter(7) syntax) applied in the kernel, or null for everything.</summary>
    public string? Bpf { get; init; }

    /// <summary>Bytes captured per frame at most.</summary>
    public int Snaplen { get; init; } = 65535;

    /// <summary>Kernel capture buffer per interface in bytes (libpcap's buffer size); null for libpcap's default.</summary>
    public int? BufferSize { get; init; }

    /// <summary>Bytes of the frame ring between each interface's capture thread and the processing thread.</summary>
    public int RingBytes { get; init; } = 32 << 20;

    public bool Promiscuous { get; init; } = true;
}
