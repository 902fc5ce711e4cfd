namespace Visibility.Wire.Pcap;

/// <summary>The container format of a capture file, as recognised from its first bytes.</summary>
public enum CaptureFormat
{
    /// <summary>Classic libpcap file with microsecond timestamps (magic 0xa1b2c3d4, either byte order).</summary>
    Pcap = 1,

    /// <summary>Classic libpcap file with nanosecond timestamps (magic 0xa1b23c4d, either byte order).</summary>
    PcapNanosecond = 2,

    /// <summary>pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks opened by a Section Header Block.</summary>
    PcapNg = 3,
}
