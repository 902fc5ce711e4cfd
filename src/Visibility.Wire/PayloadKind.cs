namespace Visibility.Wire;

/// <summary>What the decoder found above the IP layer: the dispatch key for the engine.</summary>
public enum PayloadKind : byte
{
    /// <summary>Nothing above IP was recognised (or no IP at all, e.g. ARP).</summary>
    None = 0,
    Tcp = 1,
    Udp = 2,
    Icmp = 3,
    IcmpV6 = 4,
    /// <summary>ESP, native (IP protocol 50) or UDP-encapsulated (RFC 3948); see <see cref="PacketMeta.Encapsulation"/>.</summary>
    Esp = 5,
    /// <summary>WESP, native (IP protocol 141) or UDP-encapsulated (RFC 5840 §3); see <see cref="PacketMeta.Encapsulation"/>.</summary>
    Wesp = 6,
    /// <summary>IKE on UDP 500, or on UDP 4500 after the 4-byte non-ESP marker.</summary>
    Ike = 7,
    /// <summary>A one-byte 0xFF NAT keepalive on UDP 4500 (RFC 3948 §2.3).</summary>
    NatKeepalive = 8,
    /// <summary>An IP protocol the decoder does not parse further (e.g. OSPF, GRE, SCTP).</summary>
    OtherIP = 9,
}
