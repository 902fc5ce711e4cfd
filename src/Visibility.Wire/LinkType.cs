namespace Visibility.Wire;

/// <summary>Link-layer header types (tcpdump.org LINKTYPE_* registry) that the decoder understands.</summary>
/// <remarks>Capture files may set bits above the low 16 (FCS length, flags); readers mask them off.</remarks>
public enum LinkType : ushort
{
    /// <summary>BSD loopback: 4-byte address family in the capturing host's byte order.</summary>
    Null = 0,
    Ethernet = 1,
    /// <summary>DLT_RAW as OpenBSD/Linux libpcap hand it to applications.</summary>
    RawLegacy12 = 12,
    RawLegacy14 = 14,
    Raw = 101,
    /// <summary>OpenBSD loopback (address family in network byte order).</summary>
    Loop = 108,
    LinuxSll = 113,
    IPv4 = 228,
    IPv6 = 229,
    LinuxSll2 = 276,
}
