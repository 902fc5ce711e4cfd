using System.Net;

namespace Visibility.IkePeer.Session;

/// <summary>A received UDP payload with its addresses; on the NAT-T socket the non-ESP marker is already removed from IKE.
/// With <see cref="RawIp"/> it is instead the payload of an IP packet of protocol 50 or 141 (ports 0).</summary>
internal sealed record Datagram(DatagramKind Kind, byte[] Data, IPEndPoint Remote, IPEndPoint Local, bool NatTraversal)
{
    /// <summary>Plain ESP or WESP from a raw IP socket (RFC 4303, RFC 5840 §2), not UDP-encapsulated.</summary>
    public bool RawIp { get; init; }
}
