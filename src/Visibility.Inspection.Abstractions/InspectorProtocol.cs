namespace Visibility.Inspection.Abstractions;

/// <summary>Which packets an <see cref="IPacketInspector"/> sees: the protocol field of a rule header, with the same
/// meaning.</summary>
/// <remarks><see cref="Ip"/> sees every packet; <see cref="Udp"/> also sees IKE messages and UDP-encapsulated
/// ESP/WESP, which are UDP datagrams on the wire; <see cref="Icmp"/> is ICMPv4 and ICMPv6.</remarks>
public enum InspectorProtocol : byte
{
    Ip = 0,
    Tcp = 1,
    Udp = 2,
    Icmp = 3,
    Esp = 4,
    Ike = 5,
}
