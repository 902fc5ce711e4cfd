namespace Visibility.IkePeer.Session;

/// <summary>What a received UDP payload is, by the RFC 3948 §2 demultiplexing rules on port 4500.</summary>
internal enum DatagramKind
{
    Ike = 0,
    Esp = 1,
    NatKeepalive = 2,
    Invalid = 3,
}
