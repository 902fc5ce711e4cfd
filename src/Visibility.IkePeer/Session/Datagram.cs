using System.Net;

namespace Visibility.IkePeer.Session;

/// <summary>A received UDP payload with its addresses; on the NAT-T socket the non-ESP marker is already removed from IKE.</summary>
internal sealed record Datagram(DatagramKind Kind, byte[] Data, IPEndPoint Remote, IPEndPoint Local, bool NatTraversal);
