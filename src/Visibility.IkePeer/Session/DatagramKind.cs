namespace Visibility.IkePeer.Session;

/// <summary>What a received UDP payload is, by the RFC 3948 §2 demultiplexing rules on port 4500 (and RFC 5840 §2.1 for WESP).</summary>
internal enum DatagramKind
{
    Ike = 0,
    Esp = 1,
    NatKeepalive = 2,
    Invalid = 3,

    /// <summary>UDP-encapsulated WESP: Protocol Identifier 0x00000002, then the WESP header (RFC 5840 §2.1).</summary>
    Wesp = 4,
}
